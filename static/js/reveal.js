// Conditional reveal for radios marked data-reveals="<id of the follow-up questions>".
// Same behaviour as nhsuk-frontend's, with aria-controls but without aria-expanded, which ARIA does not
// allow on radios (see apps/assessments/forms.py: RevealingRadioSelect). Without JavaScript the
// follow-up questions are always shown, and the server ignores them when their answer is "No".
// A hidden follow-up's fields are disabled, so the browser does not send them: an answer typed and then hidden
// (steroids "Yes", a dose, then "Not known") never reaches the rules. Showing them again restores the answers.

const HIDDEN = "nhsuk-radios__conditional--hidden";
const revealers = [...document.querySelectorAll("input[type=radio][data-reveals]")];

function sync() {
  for (const input of revealers) {
    const target = document.getElementById(input.dataset.reveals);
    if (!target) continue;
    target.classList.toggle(HIDDEN, !input.checked);
    for (const field of target.querySelectorAll("input, select, textarea")) field.disabled = !input.checked;
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
