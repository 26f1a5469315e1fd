// Progressive enhancement for the assessment pages: copy and print buttons.
// Without JavaScript the buttons stay hidden; the summary and codes can still be selected and copied by
// hand, and the browser's own print command prints the page.

const canCopy = Boolean(navigator.clipboard && window.isSecureContext);

for (const button of document.querySelectorAll("[data-copy-target]")) {
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target || !canCopy) continue;
  const original = button.innerHTML;
  button.hidden = false;
  button.addEventListener("click", () => {
    const text = target.tagName === "TEXTAREA" ? target.value : target.textContent;
    navigator.clipboard.writeText(text.trim()).then(
      () => {
        button.textContent = "Copied";
        window.setTimeout(() => {
          button.innerHTML = original;
        }, 2000);
      },
      () => {
        button.textContent = "Copy failed: select the text and copy it";
      },
    );
  });
}

for (const button of document.querySelectorAll(".sp-print")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
