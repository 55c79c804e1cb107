/* Progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  // The header's disclosures (the menu, the About group, the languages): Escape closes
  // the innermost open one and puts focus back on its toggle; a click or focus outside
  // closes those that float over the page. Without this script they close on a second tap.
  var headerDisclosures = Array.prototype.slice.call(
    document.querySelectorAll(".site-header details")
  );
  headerDisclosures.forEach(function (details) {
    details.addEventListener("keydown", function (event) {
      var toggle = details.querySelector("summary");
      if (event.key !== "Escape" || !details.open || !toggle.offsetParent) return;
      event.stopPropagation();
      details.open = false;
      toggle.focus();
    });
  });
  function floats(details) {
    var content = details.querySelector("summary").nextElementSibling;
    return content && getComputedStyle(content).position === "absolute";
  }
  function closeOutside(event) {
    headerDisclosures.forEach(function (details) {
      if (details.open && !details.contains(event.target) && floats(details)) details.open = false;
    });
  }
  document.addEventListener("click", closeOutside);
  document.addEventListener("focusin", closeOutside);

  // Copy link: the button is hidden until there is a script to make it work.
  document.querySelectorAll(".js-copy-link").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.url).then(function () {
        var status = button.closest(".share").querySelector(".share__status");
        if (status) status.textContent = button.dataset.copied;
      });
    });
  });

  // Hosted videos: create the player only when the reader asks for it.
  document.querySelectorAll(".js-load-video").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var facade = button.closest(".video__facade");
      var frame = document.createElement("iframe");
      frame.src = facade.dataset.embedSrc;
      frame.title = facade.dataset.embedTitle;
      frame.allow = "autoplay; fullscreen; picture-in-picture";
      frame.setAttribute("allowfullscreen", "");
      frame.className = "video__frame";
      facade.replaceWith(frame);
      frame.focus();
    });
  });

  // The side column's contents mark the section being read (aria-current="location").
  var contentsLinks = Array.prototype.slice.call(
    document.querySelectorAll(".contents--column a[href^='#']")
  );
  var sections = contentsLinks.map(function (link) {
    return document.getElementById(decodeURIComponent(link.hash.slice(1)));
  });
  if (contentsLinks.length && sections.every(Boolean)) {
    var marking = false;
    var markCurrent = function () {
      marking = false;
      if (!contentsLinks[0].offsetParent) return; // the column is not shown at this width
      var current = -1;
      sections.forEach(function (section, index) {
        if (section.getBoundingClientRect().top < window.innerHeight / 3) current = index;
      });
      contentsLinks.forEach(function (link, index) {
        if (index === current) link.setAttribute("aria-current", "location");
        else link.removeAttribute("aria-current");
      });
    };
    window.addEventListener("scroll", function () {
      if (!marking) {
        marking = true;
        window.requestAnimationFrame(markCurrent);
      }
    }, { passive: true });
    markCurrent();
  }

  // "Read the transcript" under a video opens the transcript it jumps to.
  document.querySelectorAll(".js-open-transcript").forEach(function (link) {
    link.addEventListener("click", function () {
      var transcript = document.getElementById("transcript");
      if (transcript) transcript.open = true;
    });
  });

  function announce(text) {
    var status = document.getElementById("live-status");
    if (status) status.textContent = text;
  }

  function postForm(form) {
    // getAttribute: a field named "action" would shadow form.action.
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  // Bookmarks toggle in place; without this script the form posts and the page reloads.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("bookmark-form")) return;
    event.preventDefault();
    // Not `disabled`: that would throw keyboard focus back to the top of the page.
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    postForm(form)
      .then(function (data) {
        document.querySelectorAll('.bookmark-form[action="' + form.getAttribute("action") + '"]')
          .forEach(function (twin) {
            // The state is in words: the status shows, and the button says what it will do next.
            twin.dataset.bookmarked = String(data.bookmarked);
            twin.querySelector(".bookmark-status").hidden = !data.bookmarked;
            twin.querySelector(".bookmark-button__add").hidden = data.bookmarked;
            twin.querySelector(".bookmark-button__remove").hidden = !data.bookmarked;
            twin.querySelector('input[name="action"]').value = data.bookmarked ? "remove" : "add";
          });
        announce(data.message);
      })
      .catch(function () { form.submit(); })
      .finally(function () { delete form.dataset.busy; });
  });

  // Cookie choices are saved without a reload, so nothing typed on the page is lost and
  // nothing on it is made again (the two-factor set-up's secret). Without this script the
  // forms post and come back to the same address.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("js-consent-form")) return;
    event.preventDefault();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    postForm(form)
      .then(function (data) {
        var banner = form.closest(".cookie-banner");
        if (banner) {
          var hadFocus = banner.contains(document.activeElement);
          banner.remove();
          var main = document.getElementById("main");
          if (hadFocus && main) main.focus();
        }
        document.querySelectorAll(".js-undecided").forEach(function (hint) { hint.remove(); });
        // Scripts just allowed wait for the next page: this one's policy predates them.
        var offer = document.querySelector(".translation__offer");
        if (offer && data.start_on_reload && data.accepted.indexOf("translation") !== -1) {
          var reload = document.createElement("button");
          reload.type = "button";
          reload.className = "button--secondary";
          reload.textContent = offer.dataset.reload;
          reload.addEventListener("click", function () { window.location.reload(); });
          offer.textContent = offer.dataset.allowed + " ";
          offer.appendChild(reload);
        }
        announce(data.message);
      })
      .catch(function () { form.submit(); })
      .finally(function () { delete form.dataset.busy; });
  });

  // The personalisation panel goes away without a reload.
  document.querySelectorAll(".js-dismiss-panel").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      postForm(form).then(function () {
        var panel = form.closest(".personalise-panel");
        var main = document.getElementById("main");
        panel.remove();
        if (main) main.focus();
      }).catch(function () { form.submit(); });
    });
  });

  // Machine translation: only rendered after the visitor consented; the
  // third-party script is fetched by this browser, never by the server.
  var widget = document.getElementById("translate-widget");
  if (widget && widget.dataset.src) {
    window.hubTranslateInit = function () {
      if (window.google && google.translate && google.translate.TranslateElement) {
        new google.translate.TranslateElement(
          { pageLanguage: widget.dataset.pageLanguage, autoDisplay: false },
          "translate-widget"
        );
      }
    };
    var script = document.createElement("script");
    script.src = widget.dataset.src;
    script.async = true;
    document.head.appendChild(script);
  }

  // Print the transcript too, even when its disclosure is closed.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.transcript").forEach(function (details) {
      details.open = true;
    });
  });

  // Print buttons (the record of completion); the browser's own print works without them.
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
