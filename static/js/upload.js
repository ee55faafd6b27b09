// Upload with a progress bar. Without JavaScript the form posts normally; with it, the same POST
// goes through XMLHttpRequest (fetch reports no upload progress) and the answer's page content
// replaces this one, so errors appear next to their fields exactly as without JavaScript.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.id !== "upload-form" || !window.FormData) return;
  event.preventDefault();
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var button = form.querySelector("button[type=submit]");
  button.disabled = true;
  bar.hidden = false;
  var xhr = new XMLHttpRequest();
  xhr.open("POST", form.action);
  xhr.upload.addEventListener("progress", function (e) {
    if (!e.lengthComputable) return;
    var percent = Math.round(100 * e.loaded / e.total);
    bar.value = percent;
    status.textContent = form.getAttribute("data-sending").replace("{percent}", percent);
  });
  xhr.upload.addEventListener("load", function () {
    bar.removeAttribute("value");  // indeterminate while the server checks and converts the audio
    status.textContent = form.getAttribute("data-checking");
  });
  xhr.addEventListener("load", function () {
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    document.querySelector("main").replaceWith(page.querySelector("main"));
    document.title = page.title;
    if (xhr.status < 400) history.replaceState(null, "", xhr.responseURL);
    var target = xhr.status < 400 ? document.querySelector(".flash") : document.querySelector("[aria-invalid=true]");
    if (target) {
      target.scrollIntoView();
      if (xhr.status >= 400) target.focus();
    }
  });
  xhr.addEventListener("error", function () {
    button.disabled = false;
    bar.hidden = true;
    status.textContent = form.getAttribute("data-failed");
  });
  xhr.send(new FormData(form));
});
