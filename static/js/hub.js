/* Progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

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

  // Print the transcript too, even when its disclosure is closed.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.transcript").forEach(function (details) {
      details.open = true;
    });
  });
})();
