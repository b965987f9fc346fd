/* TellSafe web chat: makes the plain-HTML page live. No framework, no storage:
   nothing is written to localStorage, sessionStorage or IndexedDB. */
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("compose");
  var input = document.getElementById("text");
  var status = document.getElementById("status");
  var options = document.getElementById("options");
  var exitForm = document.getElementById("exit");
  var centreField = form.querySelector("input[name=centre]");
  var last = Number(log.getAttribute("data-last") || "0");
  // The page's own words come from the server in the visitor's language.
  var words = {
    empty: document.body.dataset.uiEmpty,
    sending: document.body.dataset.uiSending,
    not_sent: document.body.dataset.uiNotSent,
    bot_said: document.body.dataset.uiBotSaid,
    you_said: document.body.dataset.uiYouSaid
  };
  var uiLanguage = document.body.dataset.uiLanguage || "en";
  var language = uiLanguage;
  var busy = false;

  function switchLanguage(ui, code) {
    words = ui.text;
    uiLanguage = code;
    document.documentElement.lang = code;
    document.documentElement.dir = ui.dir;
    document.querySelectorAll("[data-ui]").forEach(function (element) {
      var text = words[element.getAttribute("data-ui")];
      if (text) { element.textContent = text; }
    });
    document.getElementById("log-region").setAttribute("aria-label", words.conversation);
  }

  function add(message) {
    var item = document.createElement("li");
    item.className = "msg " + (message.from === "bot" ? "bot" : "you");
    item.setAttribute("dir", "auto");
    if (message.from === "bot") { item.setAttribute("lang", language); }
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = message.from === "bot" ? words.bot_said : words.you_said;
    var text = document.createElement("span");
    text.className = "text";
    text.textContent = message.text;
    item.appendChild(who);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(text);
    log.appendChild(item);
  }

  function showChoices(labels) {
    var legend = options.querySelector("legend");
    options.replaceChildren(legend);
    labels.forEach(function (label) {
      var button = document.createElement("button");
      button.type = "submit";
      button.name = "text";
      button.value = label;
      button.className = "choice";
      button.setAttribute("lang", language);
      button.setAttribute("dir", "auto");
      button.textContent = label;
      options.appendChild(button);
    });
    options.hidden = labels.length === 0;
  }

  function fetchNew() {
    var query = "?after=" + last + "&ui=" + encodeURIComponent(uiLanguage);
    return fetch("/chat/api/messages" + query, {
      credentials: "same-origin", cache: "no-store"
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (data) {
      language = data.language || language;
      if (data.ui) { switchLanguage(data.ui, data.language); }
      var lastBot = null;
      data.messages.forEach(function (message) {
        add(message);
        last = Math.max(last, message.id);
        if (message.from === "bot") { lastBot = message; }
      });
      if (lastBot) {
        showChoices(lastBot.choices);
        var hint = document.querySelector(".hint");
        if (hint) { hint.remove(); }
      }
      return lastBot !== null;
    });
  }

  function waitForReply(tries) {
    return fetchNew().then(function (gotReply) {
      if (gotReply || tries <= 0) { return gotReply; }
      return new Promise(function (resolve) { setTimeout(resolve, 300); })
        .then(function () { return waitForReply(tries - 1); });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) { return; }
    var submitter = event.submitter;
    var text = submitter && submitter.name === "text" ? submitter.value : input.value;
    if (!text.trim()) {
      status.textContent = words.empty;
      input.focus();
      return;
    }
    busy = true;
    status.textContent = words.sending;
    var body = { text: text };
    if (centreField) { body.centre = centreField.value; }
    fetch("/chat/api/send", {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      if (!submitter || submitter.name !== "text") { input.value = ""; }
      showChoices([]);
      return waitForReply(20);
    }).then(function () {
      status.textContent = "";
    }).catch(function () {
      status.textContent = words.not_sent;
    }).then(function () {
      busy = false;
      input.focus();
    });
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit(document.getElementById("send"));
    }
  });

  exitForm.addEventListener("submit", function (event) {
    event.preventDefault();
    // Clear the screen first, so nothing lingers even for a moment.
    log.replaceChildren();
    options.hidden = true;
    input.value = "";
    document.title = "";
    var leave = function () {
      // replace(): the chat leaves no entry in the back-button history.
      window.location.replace(exitForm.getAttribute("data-exit-url"));
    };
    // Leave as soon as the session cookie is cleared, and never later than a blink.
    Promise.race([
      fetch("/chat/exit", { method: "POST", credentials: "same-origin", keepalive: true }),
      new Promise(function (resolve) { setTimeout(resolve, 250); })
    ]).catch(function () { return null; }).then(leave);
  });

  setInterval(function () {
    if (document.visibilityState === "visible" && !busy) { fetchNew().catch(function () {}); }
  }, 3000);
})();
