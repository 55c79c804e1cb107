vcl 4.1;
# Varnish in front of the Hub's app servers (pagecache/CONTRACT.md says what it may
# keep). Django marks the pages every reader with the same variant may share:
# Cache-Control public with s-maxage, X-Hub-Variant, Surrogate-Key. This VCL works out
# the request's variant from its cookies and Accept-Language the same way, keeps a
# response only when Django's X-Hub-Variant agrees with it (so a request that fools
# the reckoning never stores a page for others), never keeps a response that sets a
# cookie, passes every logged-in reader straight through, and drops copies by surrogate
# key when the app servers send PURGE with an `xkey-purge` header (pagecache.purge).
# A PURGE also says the content version its change committed; a page made under an
# older version (X-Hub-Content-Version) than the latest one told is not kept: it was
# rendered before that change and reached us after its PURGE.
#
# bin/varnish writes the backend's port in place of 127.0.0.1:8001. Run with two
# storages, e.g. -s main=malloc,256m -s bounded=malloc,32m: searches and undeclared
# visitors' pages go to the second, so a flood of them only pushes out their kind.

import std;
import var;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8001";
    .first_byte_timeout = 30s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Versions only go up (two PURGEs may arrive out of order). An operator's PURGE
        # of everything with no version (after restoring the database, whose version
        # may then be lower) starts again from none.
        if (!req.http.X-Hub-Content-Version && req.http.xkey-purge == "site") {
            var.global_set("content-version", "0");
        } else if (std.integer(req.http.X-Hub-Content-Version, 0) >
            std.integer(var.global_get("content-version"), 0)) {
            var.global_set("content-version", req.http.X-Hub-Content-Version);
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    # Only this file sets these; a header with an underscore (SCRIPT_NAME) could reach
    # the app server's WSGI environment.
    unset req.http.X-Hub-Variant;
    unset req.http.X-Purged;
    unset req.http.SCRIPT_NAME;
    unset req.http.PATH_INFO;
    # The scheme is X-Forwarded-Proto's alone (hashed below): gunicorn would also take
    # these from a trusted proxy's address and make Django render https links.
    unset req.http.X-Forwarded-Ssl;
    unset req.http.X-Forwarded-Protocol;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;)\s*(sessionid|messages)=") {
        return (pass);  # logged in, or a message to show once: Django answers
    }

    # The variant, as pagecache.variant and hub.variant make it: the last cookie of a
    # name, byte for byte, as Django's cookie parser keeps the last.
    set req.http.X-Hub-C = "";
    if (req.http.Cookie ~ "(^|;)\s*cookie_consent=") {
        set req.http.X-Hub-C = regsub(req.http.Cookie, "^(?:.*;)?\s*cookie_consent=([^;]*).*$", "\1");
    }
    set req.http.X-Hub-D = "0";
    if (req.http.Cookie ~ "(^|;)\s*hub_hcp=") {
        # A signed declaration ("id:timestamp:signature"); Django checks the signature on
        # a miss, and a forged one never stores a page (the variants differ).
        if (regsub(req.http.Cookie, "^(?:.*;)?\s*hub_hcp=([^;]*).*$", "\1") ~ "^[A-Za-z0-9_-]+:[A-Za-z0-9]+:[A-Za-z0-9_-]+$") {
            set req.http.X-Hub-D = "1";
        }
    }
    set req.http.X-Hub-P = "0";
    if (req.http.Cookie ~ "(^|;)\s*hub_panel=") {
        if (regsub(req.http.Cookie, "^(?:.*;)?\s*hub_panel=([^;]*).*$", "\1") == "1") {
            set req.http.X-Hub-P = "1";
        }
    }
    # The language: the language cookie, else the first language of Accept-Language the
    # Hub offers (browsers list them in order of preference), else English.
    set req.http.X-Hub-L = "";
    if (req.http.Cookie ~ "(^|;)\s*django_language=") {
        set req.http.X-Hub-L = regsub(req.http.Cookie, "^(?:.*;)?\s*django_language=([^;]*).*$", "\1");
    }
    if (req.http.X-Hub-L !~ "^(en|es|fr|de)$") {
        set req.http.X-Hub-L = "en";
        if (req.http.Accept-Language ~ "(^|,)\s*(en|es|fr|de)\b") {
            set req.http.X-Hub-L = regsub(req.http.Accept-Language, "^(?:.*?,)??\s*(en|es|fr|de)\b.*$", "\1");
        }
    }
    set req.http.X-Hub-Variant = "l=" + req.http.X-Hub-L + ";c=" + req.http.X-Hub-C + ";d=" + req.http.X-Hub-D + ";p=" + req.http.X-Hub-P;
    unset req.http.X-Hub-C;
    unset req.http.X-Hub-D;
    unset req.http.X-Hub-P;
    unset req.http.X-Hub-L;
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.host);
    hash_data(req.http.X-Forwarded-Proto);
    hash_data(req.http.X-Hub-Variant);
    return (lookup);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.status == 200
        && beresp.http.Cache-Control ~ "(^|,)\s*public\s*(,|$)"
        && beresp.http.Cache-Control ~ "s-maxage=[1-9]"
        && !beresp.http.Set-Cookie
        && beresp.http.X-Hub-Variant
        && beresp.http.X-Hub-Variant == bereq.http.X-Hub-Variant
        && std.integer(beresp.http.X-Hub-Content-Version, 0) >=
           std.integer(var.global_get("content-version"), 0)) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
        # Kept for every reader with this variant: Vary: Cookie would make each visitor
        # a variant of their own. Browsers get it back on the way out.
        set beresp.http.X-Hub-Vary = beresp.http.Vary;
        unset beresp.http.Vary;
        unset beresp.http.X-Request-ID;
        set beresp.grace = 0s;  # a purged or expired page is never served again
        # Searches and what undeclared visitors see (the gate, under any made-up address)
        # have a storage of their own: a flood of them pushes out only their kind.
        if (bereq.url ~ "^/search/" || bereq.http.X-Hub-Variant ~ ";d=0;") {
            set beresp.storage = storage.bounded;
        } else {
            set beresp.storage = storage.main;
        }
        return (deliver);
    }
    # Anything else is never kept (a short "hit-for-miss" marker so requests for it
    # go straight to the app servers).
    set beresp.uncacheable = true;
    set beresp.ttl = 60s;
    return (deliver);
}

sub vcl_deliver {
    if (resp.http.X-Hub-Vary) {
        set resp.http.Vary = resp.http.X-Hub-Vary;
        unset resp.http.X-Hub-Vary;
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.X-Hub-Variant;
    unset resp.http.X-Hub-Content-Version;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else if (!resp.http.X-Cache) {
        set resp.http.X-Cache = "miss";
    }
}
