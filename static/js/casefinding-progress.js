// Progressive enhancement for a case-finding run that is still importing: the progress updates in place every two
// seconds, and the page reloads into the worklist when the import ends. Without JavaScript the "Check progress"
// link reloads the page by hand.

const panel = document.querySelector("[data-progress-url]");

if (panel) {
  const bar = panel.querySelector("progress");
  const status = panel.querySelector("[data-progress-status]");
  const counts = panel.querySelector("[data-progress-counts]");
  const poll = () => {
    fetch(panel.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((p) => {
        if (p.status === "complete" || p.status === "failed") {
          window.location.reload();
          return;
        }
        bar.value = p.percent;
        bar.textContent = `${p.percent}%`;
        status.textContent = `${p.status_text}: ${p.percent}% of the extract read.`;
        counts.textContent = `${p.rows_read} rows read, ${p.patients_assessed} patients assessed, ${p.patients_listed} on the worklist so far.`;
        window.setTimeout(poll, 2000);
      })
      .catch(() => window.setTimeout(poll, 5000));
  };
  window.setTimeout(poll, 2000);
}
