/* BuiCaSuS: tell the reader when an htmx request fails, instead of doing nothing. */
document.addEventListener("htmx:responseError", function (event) {
  var region = document.getElementById("htmx-error");
  if (!region) {
    return;
  }
  var status = event.detail.xhr ? event.detail.xhr.status : 0;
  region.textContent = region.getAttribute("data-msg-" + status) || region.getAttribute("data-msg");
  region.hidden = false;
});
document.addEventListener("htmx:sendError", function () {
  var region = document.getElementById("htmx-error");
  if (region) {
    region.textContent = region.getAttribute("data-msg-offline");
    region.hidden = false;
  }
});
document.addEventListener("htmx:beforeRequest", function () {
  var region = document.getElementById("htmx-error");
  if (region) {
    region.hidden = true;
  }
});
