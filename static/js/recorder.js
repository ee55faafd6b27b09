// Record a spot with the microphone (MediaRecorder) and put it in the form's file field, so that
// the form sends it like any chosen file (upload.js adds the progress bar). Where the browser
// cannot record (no MediaRecorder, no microphone, not allowed, no https) the page says so and the
// file field still takes a recording made elsewhere. Messages come from the page's data-*
// attributes, in the page's language. upload.js replaces <main> with the server's answer; the
// recorder is set up again on the new content and a kept recording put back into its form.
(function () {
  var kept = null;  // the last recording (a File), kept while the page lives
  var recorder = null;
  var startedAt = 0;
  var ticker = null;

  function box() { return document.getElementById("recorder"); }

  function say(key, time) {
    var text = box().getAttribute("data-" + key) || "";
    var status = document.getElementById("recorder-status");
    status.textContent = text.replace("{time}", time || "");
    var problem = key !== "recording" && key !== "recorded";  // the others say why it cannot record
    status.className = "recorder__status" + (problem ? " alert alert--warning" : "");
  }

  function elapsed(ms) {
    var s = Math.round(ms / 1000);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function buttons(recording) {
    box().querySelector("[data-recorder=start]").hidden = recording;
    box().querySelector("[data-recorder=stop]").hidden = !recording;
  }

  function extension(type) {
    if (type.indexOf("ogg") >= 0) return "ogg";
    if (type.indexOf("mp4") >= 0) return "m4a";
    return "webm";
  }

  function keep(file, ms) {
    kept = {file: file, ms: ms};
    var transfer = new DataTransfer();
    transfer.items.add(file);
    document.getElementById("upload-form").elements.audio.files = transfer.files;
    var playback = document.getElementById("recorder-playback");
    playback.src = URL.createObjectURL(file);
    playback.hidden = false;
    say("recorded", elapsed(ms));
  }

  function start() {
    navigator.mediaDevices.getUserMedia({audio: true}).then(function (stream) {
      var chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener("dataavailable", function (e) { if (e.data.size) chunks.push(e.data); });
      recorder.addEventListener("stop", function () {
        stream.getTracks().forEach(function (track) { track.stop(); });
        clearInterval(ticker);
        var type = recorder.mimeType || "audio/webm";
        var file = new File(chunks, "ghi-am." + extension(type), {type: type});
        recorder = null;
        buttons(false);
        keep(file, Date.now() - startedAt);
      });
      recorder.start();
      startedAt = Date.now();
      buttons(true);
      say("recording", elapsed(0));
      ticker = setInterval(function () { say("recording", elapsed(Date.now() - startedAt)); }, 500);
    }).catch(function (error) {
      say(error.name === "NotAllowedError" ? "denied" : error.name === "NotFoundError" ? "no-microphone" : "failed");
    });
  }

  function setUp() {
    var element = box();
    if (!element || element.getAttribute("data-ready")) return;
    element.setAttribute("data-ready", "1");
    var supported = window.MediaRecorder && window.DataTransfer && navigator.mediaDevices &&
      navigator.mediaDevices.getUserMedia;
    if (!supported) {
      say("unsupported");
      return;
    }
    element.hidden = false;
    if (kept) keep(kept.file, kept.ms);  // the form came back refused: the recording is still here
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-recorder]");
    if (!button) return;
    if (button.getAttribute("data-recorder") === "start") start();
    else if (recorder) recorder.stop();
  });
  document.addEventListener("change", function (event) {
    if (event.target.name !== "audio" || !box() || !kept) return;
    kept = null;  // a file chosen by hand replaces the recording
    document.getElementById("recorder-playback").hidden = true;
    document.getElementById("recorder-status").textContent = "";
  });
  new MutationObserver(setUp).observe(document.body, {childList: true});
  setUp();
})();
