/* Progressive enhancement: turn the one-question-per-page form into a chat.
 * The script posts the SAME form fields to the small JSON endpoint and shows
 * the next question (rendered by the server) under a growing conversation.
 * Without JavaScript, or if anything goes wrong, the plain form still works. */
(function () {
  "use strict";
  var root = document.querySelector("[data-chat]");
  var log = document.getElementById("chat-log");
  var container = document.getElementById("step-container");
  if (!root || !log || !container || !window.fetch || !window.FormData) { return; }
  document.body.classList.add("js-chat");

  function bubble(text, who) {
    if (!text) { return; }
    var li = document.createElement("li");
    li.className = who === "you" ? "bubble-you" : "bubble-bot";
    var label = document.createElement("span");
    label.className = "who";
    label.textContent = who === "you" ? (root.getAttribute("data-you") || "You") : (root.getAttribute("data-school") || "School");
    li.appendChild(label);
    li.appendChild(document.createTextNode(text));
    log.appendChild(li);
    log.hidden = false;
  }

  function questionText() {
    var q = container.querySelector("[data-question]");
    return q ? q.textContent.trim() : "";
  }

  function focusNext() {
    var target = container.querySelector("[data-error-summary]") ||
      container.querySelector("[data-question]");
    if (target) { target.focus(); }
  }

  function submit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-chat-url]")) { return; }
    var submitter = event.submitter;
    if (submitter && submitter.value === "save") { return; }  /* a normal page load */
    event.preventDefault();
    var data = new FormData(form);
    data.set("action", "continue");
    var asked = questionText();
    var button = form.querySelector("[data-continue]");
    if (button) { button.disabled = true; }
    fetch(form.getAttribute("data-chat-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (reply) {
      if (reply.redirect) { window.location.assign(reply.redirect); return; }
      if (!reply.errors) {
        var answer = container.querySelector(".answer-panel p");
        if (answer) { bubble(answer.textContent.trim(), "bot"); }
        bubble(asked, "bot");
        bubble(reply.said, "you");
      }
      container.innerHTML = reply.html;
      if (reply.title) { document.title = reply.title; }
      var back = document.querySelector(".back-link");
      if (back && reply.back) { back.setAttribute("href", reply.back); }
      if (reply.url && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", reply.url);
      }
      focusNext();
    }).catch(function () {
      HTMLFormElement.prototype.submit.call(form);  /* fall back to the plain form */
    });
  }

  container.addEventListener("submit", submit);
})();
