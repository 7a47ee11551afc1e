// The test page: autosave every change through the API with a growing sequence number, so a replayed or late
// request never overwrites a newer answer; the countdown is for display only (the server holds the deadline).
(() => {
  const form = document.getElementById("bai-lam");
  if (!form) return;
  const base = form.dataset.attemptUrl;
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("trang-thai-luu");
  let sequence = Number(form.dataset.sequence);
  const pending = new Map(); // item → {chosen, sequence}: kept until the server has it

  const send = (item) => {
    const change = pending.get(item);
    if (!change) return;
    fetch(`${base}/answers/${item}`, {
      method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify(change),
    }).then((response) => {
      if (response.ok) {
        if (pending.get(item) === change) pending.delete(item);
        status.textContent = form.dataset.savedText;
      } else {
        pending.delete(item);
        response.json().then((problem) => { status.textContent = problem.detail || form.dataset.failedText; });
      }
    }).catch(() => { status.textContent = form.dataset.offlineText; });
  };

  form.addEventListener("change", (event) => {
    const item = event.target.dataset.item;
    if (!item) return;
    const chosen = [...form.querySelectorAll(`input[data-item="${item}"]:checked`)].map((box) => box.value);
    sequence += 1;
    pending.set(item, {chosen, sequence});
    send(item);
  });
  window.addEventListener("online", () => { [...pending.keys()].forEach(send); });

  const clock = document.getElementById("dong-ho");
  const ends = Date.now() + Number(form.dataset.remaining) * 1000;
  const tick = () => {
    const left = Math.max(0, Math.round((ends - Date.now()) / 1000));
    const minutes = Math.floor(left / 60), seconds = left % 60;
    clock.textContent = `${minutes}:${String(seconds).padStart(2, "0")}`;
    if (left > 0) window.setTimeout(tick, 1000);
  };
  tick();

  document.getElementById("nop-bai").addEventListener("click", () => {
    if (!window.confirm(form.dataset.confirmText)) return;
    fetch(`${base}/submit`, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": token}})
      .then(() => window.location.reload());
  });
})();
