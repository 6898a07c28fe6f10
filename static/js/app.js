// Small progressive enhancements; the site works without this file.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move focus to a swapped region that asks for it, so keyboard and screen-reader
  // users land on the new content instead of losing their place.
  const target = event.detail.target;
  const focusable = target && target.querySelector("[data-focus-after-swap]");
  if (focusable) focusable.focus();
});

// On wide screens there is room for the search filters: show them open. Phones keep them
// folded under "Filters and sorting" so results come first; without JavaScript anyone can
// open them with a click.
// The provider's menu likewise: a row of links on wide screens, one "Menu" button on phones.
function openFiltersOnWideScreens() {
  if (window.matchMedia("(min-width: 64rem)").matches) {
    document.querySelectorAll("details.filters-more, details[data-open-on-wide-screens]").forEach((details) => { details.open = true; });
  }
}
document.addEventListener("DOMContentLoaded", openFiltersOnWideScreens);
