/* The editors' desk: small enhancements of forms that work without this script.
   - Markdown fields show a preview beside them, rendered by the server with the site's
     own sanitising renderer (ArticleAdmin.preview_view).
   - A new quiz's questions offer the chosen article's learning objectives at once
     (QuizAdmin.objectives_view), before the first save.
   - Rows added to an inline get help texts of their own (nameHelpTexts). */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function referenceCount() {
    var titles = document.querySelectorAll('input[name^="references-"][name$="-title"]');
    var count = 0;
    titles.forEach(function (input) {
      var row = input.closest(".inline-related");
      var deleted = row && row.querySelector('input[name$="-DELETE"]:checked');
      if (input.value.trim() && !deleted && !/__prefix__/.test(input.name)) count += 1;
    });
    return count;
  }

  function setUpPreview(editor) {
    var source = editor.querySelector("textarea");
    var preview = editor.querySelector(".markdown-preview");
    if (!source || !preview) return;
    var timer = null;
    var sent = 0;
    preview.hidden = false;
    editor.classList.add("with-preview");

    function refresh() {
      var body = new FormData();
      body.append("text", source.value);
      body.append("references", String(referenceCount()));
      var ticket = ++sent;
      fetch(preview.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(source.form) },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          if (ticket === sent) preview.innerHTML = html; // sanitised by the server
        })
        .catch(function () {
          if (ticket === sent) {
            preview.textContent = preview.dataset.failed || "The preview is not available.";
          }
        });
    }

    source.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    // The text already there is previewed once the page has loaded (after its own
    // scripts and styles); an empty field has nothing to preview.
    if (!source.value.trim()) return;
    if (document.readyState === "complete") refresh();
    else window.addEventListener("load", refresh, { once: true });
  }

  function objectiveSelects() {
    return document.querySelectorAll('select[name^="questions-"][name$="-objective"]');
  }

  function fillObjectives(select, objectives) {
    var chosen = select.value;
    var blank = select.querySelector('option[value=""]');
    select.replaceChildren();
    if (blank) select.appendChild(blank);
    objectives.forEach(function (objective) {
      var option = document.createElement("option");
      option.value = String(objective.id);
      option.textContent = objective.text;
      if (option.value === chosen) option.selected = true;
      select.appendChild(option);
    });
  }

  function setUpObjectives(articleSelect, url) {
    var latest = [];
    function load() {
      var article = articleSelect.value;
      if (!article) {
        latest = [];
        objectiveSelects().forEach(function (select) { fillObjectives(select, latest); });
        return;
      }
      fetch(url + "?article=" + encodeURIComponent(article), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { objectives: [] }; })
        .then(function (data) {
          latest = data.objectives;
          objectiveSelects().forEach(function (select) { fillObjectives(select, latest); });
        });
    }
    // The article field is Django's autocomplete (select2), which tells jQuery listeners.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(articleSelect).on("change", load);
    }
    articleSelect.addEventListener("change", load);
    // Questions added later (nested inlines) copy the empty form: give them the list too.
    function added() {
      if (latest.length) {
        objectiveSelects().forEach(function (select) {
          if (select.options.length <= 1) fillObjectives(select, latest);
        });
      }
    }
    document.addEventListener("formset:added", added);
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("formset:added", added);
    }
  }

  // A row added from the empty form keeps "__prefix__" in its help texts' ids and in
  // the aria-describedby pointing at them (nested inlines do not rename them): give each
  // its own id, as Django names them ("<field id>_helptext"), so no two ids clash and
  // each field is described by its own help.
  function nameHelpTexts() {
    document.querySelectorAll('[aria-describedby*="__prefix__"]').forEach(function (field) {
      if (!field.id || field.id.indexOf("__prefix__") !== -1) return; // the empty form
      var old = field.getAttribute("aria-describedby");
      var own = field.id + "_helptext";
      var row = field.closest(".form-row") || field.parentElement;
      var help = row && row.querySelector('[id="' + old + '"]');
      if (help) help.id = own;
      field.setAttribute("aria-describedby", own);
    });
  }

  function start() {
    document.addEventListener("formset:added", nameHelpTexts);
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("formset:added", nameHelpTexts);
    }
    document.querySelectorAll(".markdown-editor").forEach(setUpPreview);
    var objective = document.querySelector("select[data-objectives-url]");
    var article = document.querySelector("select[name=article]");
    if (objective && article) setUpObjectives(article, objective.dataset.objectivesUrl);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
