// The console's only script: keeps the queue and the transcript fresh without a reload.
// Same-origin JSON polling; everything is built with textContent (never HTML strings).
(function () {
  "use strict";
  var POLL_MS = 3000;

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function claimForm(item, csrf) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/officer/handoffs/" + item.id + "/claim";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = csrf;
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Take";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " handoff " + (item.reference || item.id);
    button.appendChild(hidden);
    form.appendChild(token);
    form.appendChild(button);
    return form;
  }

  function openLink(item) {
    var link = document.createElement("a");
    link.href = "/officer/conversations/" + item.conversation;
    link.textContent = "Open";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " conversation " + (item.reference || item.id);
    link.appendChild(hidden);
    return link;
  }

  function emptyRow(columns, text) {
    var row = document.createElement("tr");
    row.className = "empty";
    var td = cell(row, text);
    td.colSpan = columns;
    return row;
  }

  function renderQueue(root, data, known) {
    var csrf = root.getAttribute("data-csrf");
    var waiting = document.getElementById("waiting");
    var held = document.getElementById("held");
    var waitingRows = [];
    var heldRows = [];
    var fresh = 0;
    data.handoffs.forEach(function (item) {
      var row = document.createElement("tr");
      row.setAttribute("data-id", String(item.id));
      if (item.status === "open") {
        if (item.urgent) { row.className = "urgent"; }
        cell(row, item.waited);
        cell(row, item.urgent ? "Urgent" : "Normal");
        cell(row, item.reason);
        cell(row, item.reference || "no report yet");
        cell(row, item.risk || "-");
        cell(row, item.channel);
        cell(row, item.language || "-");
        cell(row, "").appendChild(claimForm(item, csrf));
        waitingRows.push(row);
        if (known && !known[item.id]) { fresh += 1; }
      } else {
        cell(row, item.waited);
        cell(row, item.urgent ? "Urgent" : "Normal");
        cell(row, item.reason);
        cell(row, item.reference || "no report yet");
        cell(row, item.holder);
        cell(row, "").appendChild(openLink(item));
        heldRows.push(row);
      }
    });
    // Do not pull a form out from under someone using it.
    if (waiting.contains(document.activeElement) || held.contains(document.activeElement)) {
      return fresh;
    }
    waiting.replaceChildren.apply(waiting, waitingRows.length ? waitingRows
      : [emptyRow(8, "Nobody is waiting.")]);
    held.replaceChildren.apply(held, heldRows.length ? heldRows
      : [emptyRow(6, "No conversation is with an officer.")]);
    return fresh;
  }

  function pollQueue(root) {
    var known = {};
    document.querySelectorAll("#waiting tr[data-id]").forEach(function (row) {
      known[row.getAttribute("data-id")] = true;
    });
    var status = document.getElementById("queue-status");
    function tick() {
      fetch(root.getAttribute("data-source"), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (response.status === 401) { window.location.assign("/officer/login"); return null; }
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data) { return; }
        var fresh = renderQueue(root, data, known);
        known = {};
        data.handoffs.forEach(function (item) { known[item.id] = true; });
        if (fresh > 0) {
          status.textContent = fresh + (fresh === 1 ? " new handoff is" : " new handoffs are") +
            " waiting.";
        }
      }).catch(function () { /* offline for a moment: try again next time */ });
    }
    window.setInterval(tick, POLL_MS);
  }

  function pollTranscript(list) {
    function tick() {
      var after = list.getAttribute("data-after") || "0";
      fetch(list.getAttribute("data-source") + "?after=" + encodeURIComponent(after), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (response.status === 401) { window.location.assign("/officer/login"); return null; }
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data) { return; }
        data.messages.forEach(function (line) {
          if (list.querySelector('li[data-id="' + line.id + '"]')) { return; }
          var item = document.createElement("li");
          item.className = line.direction === "in" ? "in" : "out";
          item.setAttribute("data-id", String(line.id));
          var meta = document.createElement("span");
          meta.className = "meta";
          meta.textContent = line.author + ", " + line.at +
            (line.delivery && line.delivery !== "sent" ? " (" + line.delivery + ")" : "");
          var text = document.createElement("span");
          text.className = "text";
          text.dir = "auto";
          text.textContent = line.text;
          item.appendChild(meta);
          item.appendChild(document.createTextNode(" "));
          item.appendChild(text);
          list.appendChild(item);
          list.setAttribute("data-after", String(line.id));
        });
      }).catch(function () { /* try again next time */ });
    }
    window.setInterval(tick, POLL_MS);
  }

  var queue = document.getElementById("queue");
  if (queue) { pollQueue(queue); }
  var transcript = document.getElementById("transcript");
  if (transcript) { pollTranscript(transcript); }
}());
