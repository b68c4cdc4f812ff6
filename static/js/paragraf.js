/* Paragraf's small helpers. Everything works without them (the site runs under a
   CSP without inline script); they only save the secretary typing. */
(function () {
  "use strict";

  /* "Mask the selected text": a button after each field marked data-maskable wraps
     the selection in [[ ]] (meetings/masking.py), the markup the public version
     replaces by "[uppgift borttagen]". */
  function addMaskButton(field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary mt-1 mask-button";
    button.textContent = field.dataset.maskable;
    button.addEventListener("click", function () {
      var start = field.selectionStart, end = field.selectionEnd;
      if (start === end) { field.focus(); return; }
      var value = field.value;
      field.value = value.slice(0, start) + "[[" + value.slice(start, end) + "]]" + value.slice(end);
      field.setSelectionRange(start, end + 4);
      field.focus();
    });
    field.insertAdjacentElement("afterend", button);
  }

  /* A bilaga of a confidential paragraph is not public: untick "public" when such a
     paragraph is chosen (the form refuses it anyway). */
  function followConfidential(form) {
    var secret = (form.dataset.confidentialParagraphs || "").split(",").filter(Boolean);
    var paragraph = form.querySelector("select[name=paragraph]");
    var isPublic = form.querySelector("input[name=is_public]");
    if (!paragraph || !isPublic) { return; }
    function update() {
      if (secret.indexOf(paragraph.value) >= 0) { isPublic.checked = false; }
    }
    paragraph.addEventListener("change", update);
    update();
  }

  /* "Add a decision" without a page load: a copy of the formset's empty form
     (Django's __prefix__), and one more in its TOTAL_FORMS. Without script the
     "Save and add a decision" button does the same by a save. */
  function addDecisions() {
    var list = document.getElementById("decisions");
    var template = document.getElementById("decision-template");
    var button = document.querySelector("[data-add-decision]");
    if (!list || !template || !button) { return; }
    var total = document.querySelector("input[name=" + list.dataset.prefix + "-TOTAL_FORMS]");
    button.hidden = false;
    var fallback = document.querySelector("[data-add-decision-fallback]");
    if (fallback) { fallback.hidden = true; }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index))
        .replace(/__num__/g, String(index + 1));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var added = list.lastElementChild;
      added.querySelectorAll("[data-maskable]").forEach(addMaskButton);
      var first = added.querySelector("select, textarea");
      if (first) { first.focus(); }
    });
  }

  /* A passkey added (django-otp-webauthn's event): the page again, listing it. */
  document.addEventListener("otp_webauthn.register_complete", function () {
    window.setTimeout(function () { window.location.reload(); }, 800);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-maskable]").forEach(addMaskButton);
    addDecisions();
    document.querySelectorAll("form[data-confidential-paragraphs]").forEach(followConfidential);
  });
})();
