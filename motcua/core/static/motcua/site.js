// Error summary (GOV.UK pattern): it takes the focus on load so that screen readers read it first, and each of its
// links moves the focus to the field to fix, with the field's label scrolled into view above it.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    const field = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) return;
    event.preventDefault();
    const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});

// A tờ khai's conditional sections: a changed answer asks the server which sections apply (the rule lives there).
// Only the sections' visibility is taken from its answer, so what was typed or chosen meanwhile stays, and only the
// answer to the latest change counts: an older one landing late is dropped.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.target;
  if (!form || form.id !== "to-khai") return;
  form.dataset.asked = String(Number(form.dataset.asked || 0) + 1);
  event.detail.xhr.motcuaAsked = form.dataset.asked;
});
document.addEventListener("htmx:beforeSwap", (event) => {
  const form = event.detail.target;
  if (!form || form.id !== "to-khai" || !event.detail.xhr.motcuaAsked) return;
  event.detail.shouldSwap = false;
  if (event.detail.xhr.motcuaAsked !== form.dataset.asked || event.detail.xhr.status !== 200) return;
  const answer = new DOMParser().parseFromString(event.detail.serverResponse, "text/html");
  for (const section of form.querySelectorAll("fieldset[id]")) {
    const drawn = answer.getElementById(section.id);
    if (drawn) section.hidden = drawn.hidden;
  }
});
