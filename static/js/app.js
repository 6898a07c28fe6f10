// Small progressive enhancements; the site works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move focus to a swapped region that asks for it, so keyboard and screen-reader
  // users land on the new content instead of losing their place.
  const target = event.detail.target;
  const focusable = target && target.querySelector("[data-focus-after-swap]");
  if (focusable) focusable.focus();
});
