// A form that came back with errors marks its first error `autofocus` (portal/forms.py, PortalForm). The page's
// address ends in the form's #section, so that it opens there even without this script, and browsers skip
// autofocus when the address names a fragment: focus it here, once the page has scrolled to the section, in the
// middle of the screen with its label in view.
window.addEventListener("load", () => {
  const first = document.querySelector("main [autofocus]");
  if (first && document.activeElement !== first) {
    first.focus({ preventScroll: true });
    first.scrollIntoView({ block: "center" });
  }
});
