/* Drafts of long forms, kept in this browser while they are typed (issue 13).
 *
 *   <form data-draft="problem">   keeps what is typed in localStorage, per person and page
 *
 * A failed submit, a dropped connection or a closed tab loses nothing: when the form's page opens
 * again with a draft that differs from what the page shows, a note offers "Recuperar" or "Descartar".
 * The draft is removed once the server has accepted the form: a POST carrying ``draft_key`` and
 * answered with a redirect sets the short cookie ``aee_draft_saved`` (app.drafts), read here. Files,
 * passwords and hidden fields (the CSRF token) are never kept. Logging out removes every draft of
 * the browser (<form data-clears-drafts>), and a draft older than a week is dropped.
 */
(function () {
  "use strict";

  var PREFIX = "aee-draft:";
  var WEEK = 7 * 24 * 3600 * 1000;
  var owner = (document.querySelector('meta[name="draft-owner"]') || {}).content || "";
  var texts = JSON.parse((document.querySelector('meta[name="draft-texts"]') || {}).content || "{}");

  function storageKey(form) {
    return PREFIX + owner + ":" + form.getAttribute("data-draft") + ":" + window.location.pathname;
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && el.name !== "draft_key" &&
        ["file", "password", "hidden", "submit", "button", "reset"].indexOf(el.type) === -1;
    });
  }

  function read(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) { (values[el.name] = values[el.name] || []).push(el.value); }
      } else if (el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function write(form, values) {
    fields(form).forEach(function (el) {
      var value = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = Array.isArray(value) && value.indexOf(o.value) !== -1;
        });
      } else if (value !== undefined) {
        el.value = value;
      }
    });
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; }
  }

  function save(form) {
    try {
      window.localStorage.setItem(storageKey(form), JSON.stringify({ at: Date.now(), values: read(form) }));
    } catch (e) { /* storage full or disabled: the form still works */ }
  }

  function forgetSaved() {
    var match = document.cookie.match(/(?:^|;\s*)aee_draft_saved=([\w-]+)/);
    if (!match) { return; }
    Object.keys(window.localStorage).forEach(function (key) {
      if (key.indexOf(PREFIX + owner + ":" + match[1] + ":") === 0) { window.localStorage.removeItem(key); }
    });
    document.cookie = "aee_draft_saved=; Max-Age=0; path=/; SameSite=Lax";
  }

  function offer(form, draft) {
    var note = document.createElement("div");
    note.className = "flash flash-info draft-note";
    note.setAttribute("role", "status");
    var minutes = Math.max(1, Math.round((Date.now() - draft.at) / 60000));
    var text = document.createElement("span");
    text.textContent = (texts.found || "").replace("{minutes}", String(minutes)) + " ";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "secondary";
    restore.textContent = texts.restore || "Recuperar";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary outline";
    discard.textContent = texts.discard || "Descartar";
    restore.addEventListener("click", function () {
      write(form, draft.values);
      note.remove();
      var first = fields(form)[0];
      if (first) { first.focus(); }
    });
    discard.addEventListener("click", function () {
      window.localStorage.removeItem(storageKey(form));
      note.remove();
    });
    note.appendChild(text);
    note.appendChild(restore);
    note.appendChild(discard);
    form.parentNode.insertBefore(note, form);
  }

  function forgetAll() {
    Object.keys(window.localStorage).forEach(function (key) {
      if (key.indexOf(PREFIX) === 0) { window.localStorage.removeItem(key); }
    });
  }

  function init() {
    forgetSaved();
    // Logging out leaves no draft behind on a shared computer (a school's, a library's).
    document.addEventListener("submit", function (event) {
      if (event.target.hasAttribute && event.target.hasAttribute("data-clears-drafts")) { forgetAll(); }
    });
    document.querySelectorAll("form[data-draft]").forEach(function (form) {
      var draft = load(storageKey(form));
      if (draft && Date.now() - draft.at > WEEK) {
        window.localStorage.removeItem(storageKey(form));
        draft = null;
      }
      if (draft && draft.values && !same(draft.values, read(form))) { offer(form, draft); }
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      form.addEventListener("submit", function () {
        save(form);
        var marker = form.querySelector('input[name="draft_key"]');
        if (!marker) {
          marker = document.createElement("input");
          marker.type = "hidden";
          marker.name = "draft_key";
          form.appendChild(marker);
        }
        marker.value = form.getAttribute("data-draft");
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
