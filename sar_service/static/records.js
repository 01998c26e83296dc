// Bundle progress: poll the small JSON endpoint and reload the page when the build ends.
(function () {
  var bars = document.querySelectorAll(".js-bundle-progress");
  Array.prototype.forEach.call(bars, function (bar) {
    var label = bar.parentNode.querySelector(".js-bundle-percent");
    function poll() {
      fetch(bar.getAttribute("data-status-url"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          bar.value = s.progress;
          if (label) { label.textContent = s.progress + "%"; }
          if (s.status === "ready" || s.status === "failed") { window.location.reload(); }
          else { window.setTimeout(poll, 2000); }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
})();
