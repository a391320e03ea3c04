// Civility dashboard: keyboard moderation, undo, batch selection. Plain JS, no dependencies, no inline handlers
// (the Content-Security-Policy forbids them). Every action is also a plain HTML form that works without this file.
(function () {
  "use strict";

  document.querySelectorAll("select.autosubmit").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });

  var cardList = document.getElementById("cards");
  if (!cardList) { return; }
  var cards = Array.prototype.slice.call(cardList.querySelectorAll(".card"));
  var toast = document.getElementById("toast");
  var undoForm = document.getElementById("undo-form");
  var current = -1;
  var undoStack = [];
  var LABEL = { approve: "approved", reject: "rejected", review: "needs review" };

  function show(message, withUndo) {
    toast.textContent = message;
    if (withUndo) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "Undo (u)";
      b.addEventListener("click", undo);
      toast.appendChild(b);
    }
    toast.hidden = false;
    clearTimeout(show.timer);
    show.timer = setTimeout(function () { toast.hidden = true; }, 6000);
  }

  function focusCard(i) {
    if (!cards.length) { return; }
    current = Math.max(0, Math.min(cards.length - 1, i));
    cards.forEach(function (c, j) { c.classList.toggle("current", j === current); });
    cards[current].focus({ preventScroll: true });
    cards[current].scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function setStatus(card, status) {
    card.classList.remove("status-approve", "status-review", "status-reject");
    card.classList.add("status-" + status);
    var pill = card.querySelector(".status .pill");
    if (pill) { pill.className = "pill pill-" + status; pill.textContent = LABEL[status] || status; }
  }

  // Held reposts that took a decision with their original: their cards (if on this page) show it too.
  function applyFollowed(answer) {
    var list = answer.followed || [];
    list.forEach(function (f) {
      var other = cardList.querySelector('.card[data-id="' + String(f.comment_id).replace(/[^0-9]/g, "") + '"]');
      if (other) { setStatus(other, f.status); other.classList.toggle("decided", f.status !== "review"); }
    });
    return list.length ? ", with " + list.length + (list.length === 1 ? " held copy" : " held copies") : "";
  }

  function post(form, extra) {
    var body = new URLSearchParams(new FormData(form));
    Object.keys(extra || {}).forEach(function (k) { body.set(k, extra[k]); });
    return fetch(form.getAttribute("action"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (r) {
      if (!r.ok) { throw new Error(r.status === 403 ? "Not allowed (reload the page)" : "Failed (" + r.status + ")"); }
      return r.json();
    });
  }

  function decide(action) {
    if (current < 0) { focusCard(0); }
    var card = cards[current];
    var form = card && card.querySelector("form.decide");
    if (!form) { return; }
    var previous = (card.className.match(/status-(\w+)/) || [])[1];
    post(form, { action: action }).then(function (answer) {
      setStatus(card, answer.status);
      card.classList.add("decided");
      undoStack.push({ card: card, id: card.dataset.id, previous: previous });
      show("#" + card.dataset.id + " " + LABEL[answer.status] + applyFollowed(answer) + ".", true);
      if (current < cards.length - 1) { focusCard(current + 1); }
    }).catch(function (e) { show(e.message, false); });
  }

  function undo() {
    var last = undoStack.pop();
    if (!last || !undoForm) { show("Nothing to undo.", false); return; }
    post(undoForm, { comment_id: last.id }).then(function (answer) {
      setStatus(last.card, answer.status);
      last.card.classList.remove("decided");
      focusCard(cards.indexOf(last.card));
      show("Undone: #" + last.id + " " + LABEL[answer.status] + " again" + applyFollowed(answer) + ".", false);
    }).catch(function (e) { undoStack.push(last); show(e.message, false); });
  }

  function countSelected() {
    var n = cardList.querySelectorAll("input[name=ids]:checked").length;
    var out = document.getElementById("selected-count");
    if (out) { out.textContent = n + " selected"; }
  }

  var all = document.getElementById("check-all");
  if (all) {
    all.addEventListener("change", function () {
      cardList.querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = all.checked; });
      countSelected();
    });
  }
  cardList.addEventListener("change", countSelected);

  // Select by score range without a round trip (the form also works as a plain GET).
  var rangeButton = document.getElementById("select-range");
  if (rangeButton) {
    rangeButton.addEventListener("click", function (event) {
      event.preventDefault();
      var lo = parseFloat(document.getElementById("select-min").value || "0");
      var hi = parseFloat(document.getElementById("select-max").value || "1");
      cards.forEach(function (c) {
        var s = parseFloat(c.dataset.score);
        c.querySelector("input[name=ids]").checked = s >= lo && s <= hi;
      });
      countSelected();
    });
  }

  cards.forEach(function (c, i) { c.addEventListener("click", function () { current = i; cards.forEach(function (d, j) { d.classList.toggle("current", j === i); }); }); });

  document.addEventListener("keydown", function (event) {
    var t = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) { return; }
    switch (event.key) {
      case "j": focusCard(current + 1); break;
      case "k": focusCard(current - 1); break;
      case "a": decide("approve"); break;
      case "r": decide("reject"); break;
      case "u": undo(); break;
      case "x":
        if (current >= 0) { var box = cards[current].querySelector("input[name=ids]"); box.checked = !box.checked; countSelected(); }
        break;
      case "o": if (current >= 0) { window.location.href = cards[current].dataset.article; } break;
      default: return;
    }
    event.preventDefault();
  });
})();
