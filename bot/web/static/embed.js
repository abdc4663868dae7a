/* Embeds the office chat in any page as a launcher bubble (bottom right):
     <script src="https://chat.example.edu/static/embed.js" data-lang="zh"
             data-university="JSNU" defer></script>
   data-lang (en or zh) is optional. data-university (CPU, JSNU, QJNU or WESTLAKE) says whose
   site this is: the assistant answers with that university's rules unless the person names
   another; one chat server can so serve several universities' sites. The widget and the
   Rasa socket URL come from the chat server this script was loaded from, so nothing is
   fetched from a CDN. */
(function () {
  "use strict";

  var script = document.currentScript;
  var origin = new URL(script.src).origin;
  var language = script.getAttribute("data-lang") === "zh" ? "zh" : "en";
  var LABELS = {
    en: { title: "International Office", subtitle: "Visas, residence permits, requests",
          hint: "Type your question…" },
    zh: { title: "国际处", subtitle: "签证 · 居留许可 · 申请办理", hint: "请输入您的问题…" }
  };

  /* Sent with every message as its metadata (engine/serving/channels.py keeps these keys). */
  function customData() {
    var data = {};
    if (script.hasAttribute("data-lang")) { data.language = language; }
    var university = script.getAttribute("data-university");
    if (university) { data.university = university; }
    return data;
  }

  function start(config) {
    var labels = LABELS[language];
    window.WebChat.default({
      socketUrl: config.socketUrl,
      socketPath: "/socket.io/",
      initPayload: '/greet{"language":"' + language + '"}',
      customData: customData(),
      title: labels.title,
      subtitle: labels.subtitle,
      inputTextFieldHint: labels.hint,
      withRules: false,
      hideWhenNotConnected: false,
      params: { storage: "local" }
    }, null);
  }

  var widget = document.createElement("script");
  widget.src = origin + "/widget/webchat.js";
  widget.onload = function () {
    fetch(origin + "/config.json").then(function (response) { return response.json(); })
      .then(start);
  };
  document.head.appendChild(widget);
}());
