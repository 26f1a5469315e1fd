// Conditional reveal for radios marked data-reveals="<id of the follow-up questions>".
// Same behaviour as nhsuk-frontend's, with aria-controls but without aria-expanded, which ARIA does not
// allow on radios (see apps/assessments/forms.py: RevealingRadioSelect). Without JavaScript the
// follow-up questions are always shown, and the server ignores them when their answer hides them.

const HIDDEN = "nhsuk-radios__conditional--hidden";
const revealers = [...document.querySelectorAll("input[type=radio][data-reveals]")];

function sync() {
  for (const input of revealers) {
    const target = document.getElementById(input.dataset.reveals);
    if (target) target.classList.toggle(HIDDEN, !input.checked);
  }
}

for (const input of revealers) {
  input.setAttribute("aria-controls", input.dataset.reveals);
  for (const sibling of document.querySelectorAll(`input[type=radio][name="${CSS.escape(input.name)}"]`)) {
    sibling.addEventListener("change", sync);
  }
}
window.addEventListener("pageshow", sync);
sync();
