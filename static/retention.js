// The policy editor's live preview: as rules change, ask the server what they would delete
// now and show its answer (server-rendered rows). Without script, "Preview" does the same.
(function () {
  "use strict";

  const form = document.getElementById("policy-form");
  const target = document.getElementById("preview");
  if (!form || !target) return;

  let timer = null;
  let latest = 0;

  async function refresh() {
    const query = new URLSearchParams(new FormData(form));
    query.delete("csrfmiddlewaretoken");
    query.set("fragment", "1");
    if (form.dataset.policy) query.set("policy", form.dataset.policy);
    const ticket = ++latest;
    target.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.dataset.previewUrl + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      const html = await response.text();
      if (ticket === latest) target.innerHTML = html;
    } finally {
      if (ticket === latest) target.removeAttribute("aria-busy");
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
