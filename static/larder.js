// Copy buttons, nothing else. Every <pre> in the main column gets one; any element with
// data-copy="text" copies that text. Works without a secure context (execCommand fallback).
(function () {
  "use strict";

  function fallbackCopy(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand("copy");
    } finally {
      area.remove();
    }
  }

  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (error) {
        return fallbackCopy(text);
      }
    }
    return fallbackCopy(text);
  }

  let announcer = null;

  // Buttons keep their aria-label, so screen readers hear the outcome from a live region.
  function announce(message) {
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.className = "visually-hidden";
      announcer.setAttribute("aria-live", "polite");
      document.body.appendChild(announcer);
    }
    announcer.textContent = "";
    setTimeout(function () {
      announcer.textContent = message;
    }, 50);
  }

  function acknowledge(button, ok) {
    announce(ok ? "Copied to clipboard" : "Copy failed");
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = ok ? "Copied" : "Copy failed";
    button.classList.toggle("is-done", ok);
    clearTimeout(button._reset);
    button._reset = setTimeout(function () {
      button.textContent = label;
      button.classList.remove("is-done");
    }, 1500);
  }

  function addPreButtons() {
    document.querySelectorAll("main pre").forEach(function (pre) {
      if (pre.parentElement.classList.contains("codeblock")) return;
      const wrapper = document.createElement("div");
      wrapper.className = "codeblock";
      pre.before(wrapper);
      wrapper.appendChild(pre);
      const button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy to clipboard");
      button.dataset.copyFrom = "pre";
      wrapper.appendChild(button);
    });
  }

  document.addEventListener("click", async function (event) {
    const button = event.target.closest("[data-copy], [data-copy-from]");
    if (!button) return;
    const text = button.dataset.copy !== undefined
      ? button.dataset.copy
      : button.parentElement.querySelector("pre").innerText.trim();
    acknowledge(button, await copy(text));
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addPreButtons);
  } else {
    addPreButtons();
  }
})();
