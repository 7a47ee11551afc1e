// Progressive enhancement: without it the organisation's fields stay visible and the commune is typed by name.
(() => {
  const kind = document.getElementById("id_applicant_kind");
  const organisation = document.getElementById("to-chuc");
  const showOrganisation = () => { organisation.hidden = kind.value !== organisation.dataset.applicantKind; };
  kind.addEventListener("change", showOrganisation);
  showOrganisation();

  // The browser's own datalist needs the diacritics; the units API folds them ("my tho" finds "Phường Mỹ Tho").
  const box = document.getElementById("id_commune_name");
  const code = document.getElementById("id_commune");
  const list = document.getElementById("xa-phuong-goi-y");
  const chosen = document.getElementById("xa-phuong-da-chon");
  box.removeAttribute("list");
  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", list.id);
  box.setAttribute("aria-expanded", "false");
  let asked = 0, timer = 0, active = -1;
  const options = () => [...list.querySelectorAll("[role=option]")];
  const close = () => { list.hidden = true; box.setAttribute("aria-expanded", "false"); box.removeAttribute("aria-activedescendant"); active = -1; };
  const mark = (index) => {
    const all = options();
    active = (index + all.length) % all.length;
    all.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    box.setAttribute("aria-activedescendant", all[active].id);
  };
  const pick = (option) => {
    code.value = option.dataset.code;
    box.value = option.dataset.name;
    chosen.textContent = `${chosen.dataset.label}: ${option.dataset.name} (${chosen.dataset.codeLabel} ${option.dataset.code})`;
    close();
  };
  box.addEventListener("input", () => {
    code.value = "";
    chosen.textContent = "";
    clearTimeout(timer);
    const text = box.value.trim();
    if (text.length < 2) { close(); return; }
    timer = setTimeout(async () => {
      const mine = ++asked;
      const query = new URLSearchParams({search: text, type: "commune,ward,special_zone", parent: list.dataset.province, page_size: "10"});
      const answer = await fetch(`${list.dataset.url}?${query}`, {headers: {Accept: "application/json"}});
      if (!answer.ok || mine !== asked) return;
      const {results} = await answer.json();
      list.replaceChildren(...results.map((unit) => {
        const option = document.createElement("li");
        Object.assign(option, {id: `xa-phuong-${unit.code}`, textContent: `${unit.name} (${unit.code})`});
        option.setAttribute("role", "option");
        Object.assign(option.dataset, {code: unit.code, name: unit.name});
        return option;
      }));
      list.hidden = results.length === 0;
      box.setAttribute("aria-expanded", String(!list.hidden));
      if (results.length) mark(0);
    }, 200);
  });
  box.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") { event.preventDefault(); mark(active + (event.key === "ArrowDown" ? 1 : -1)); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); pick(options()[active]); }
    else if (event.key === "Escape") close();
  });
  list.addEventListener("mousedown", (event) => event.preventDefault());  // keep the focus in the box
  list.addEventListener("click", (event) => { const option = event.target.closest("[role=option]"); if (option) pick(option); });
  box.addEventListener("blur", close);
})();
