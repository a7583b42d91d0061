// Import pages: keep HR from sending the same file twice while it uploads.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.import-upload-form")) {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }
    });
  }
});
