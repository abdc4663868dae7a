/* The chat page: picks the language, mounts the vendored rasa-webchat widget on Rasa's
   socket.io channel, and keeps the conversation across reloads (session id and messages
   in localStorage; Rasa's session_persistence keeps the same conversation server-side). */
(function () {
  "use strict";

  var LANGUAGE_KEY = "intl-office-chat-language";
  var LABELS = {
    en: {
      page: "International Office Assistant",
      title: "International Office",
      subtitle: "Visas, residence permits, requests",
      hint: "Type your question…",
      connecting: "Connecting…",
      unavailable: "The chat cannot be loaded right now. Please try again later."
    },
    zh: {
      page: "国际处智能助手",
      title: "国际处",
      subtitle: "签证 · 居留许可 · 申请办理",
      hint: "请输入您的问题…",
      connecting: "正在连接…",
      unavailable: "聊天暂时无法加载，请稍后再试。"
    }
  };

  var settings = JSON.parse(document.getElementById("chat-settings").textContent);

  function storedLanguage() {
    try { return window.localStorage.getItem(LANGUAGE_KEY); } catch (e) { return null; }
  }

  function remember(language) {
    try { window.localStorage.setItem(LANGUAGE_KEY, language); } catch (e) { /* private mode */ }
  }

  /* The person's explicit choice: ?lang= first, then the toggle's remembered choice. */
  function chosenLanguage() {
    var language = settings.lang || storedLanguage();
    return LABELS[language] ? language : null;
  }

  /* What to show when nothing was chosen: the browser's language, else English. */
  function displayLanguage(chosen) {
    if (chosen) { return chosen; }
    var browser = (navigator.language || "en").toLowerCase();
    return browser.indexOf("zh") === 0 ? "zh" : "en";
  }

  function showToggle(language) {
    var buttons = document.querySelectorAll(".language");
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.lang === language));
      button.addEventListener("click", function () {
        remember(button.dataset.lang);
        var url = new URL(window.location.href);
        url.searchParams.set("lang", button.dataset.lang);
        window.location.assign(url.toString());
      });
    });
  }

  /* The language the person chose (if they did) and the university whose page this is
     (?university=, if it is one the assistant knows): the rules answered are that one's. */
  function customData(chosen) {
    var data = {};
    if (chosen) { data.language = chosen; }
    if (settings.university) { data.university = settings.university; }
    return data;
  }

  function mount(chosen, language) {
    var labels = LABELS[language];
    document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
    document.getElementById("page-title").textContent = labels.page;
    document.title = labels.page;
    if (!window.WebChat) {
      var notice = document.getElementById("chat-unavailable");
      notice.textContent = labels.unavailable;
      notice.hidden = false;
      return;
    }
    window.WebChat.default({
      socketUrl: settings.socketUrl,
      socketPath: "/socket.io/",
      /* The language entity sets Rasa's language slot before the greeting. */
      initPayload: '/greet{"language":"' + language + '"}',
      /* Sent with every message; Rasa reads it as metadata (credentials.yml metadata_key). */
      customData: customData(chosen),
      title: labels.title,
      subtitle: labels.subtitle,
      inputTextFieldHint: labels.hint,
      connectingText: labels.connecting,
      embedded: true,
      withRules: false,
      showFullScreenButton: false,
      hideWhenNotConnected: false,
      customMessageDelay: function () { return 250; },
      params: { storage: "local" }
    }, document.getElementById("chat"));
  }

  var chosen = chosenLanguage();
  if (settings.lang) { remember(settings.lang); }
  var language = displayLanguage(chosen);
  showToggle(language);
  mount(chosen, language);
}());
