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
