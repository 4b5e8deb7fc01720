/* The outlet console's camera scanner, where the browser has BarcodeDetector (progressive enhancement).
 *
 * Without it the scan button stays hidden and staff type. The button says which form and field a scan fills
 * (data-form, data-input) and which codes it takes (data-accept):
 * - "pickup" (the pickup counter): a QR code holding "OCOP-PICKUP:<code>";
 * - "label" (selling at the counter): a product label's QR code, the address of its provenance page (".../p/<slug>/").
 * A code that fits fills the field and submits the form; any other is ignored with a message, and scanning goes on.
 */
(function () {
  "use strict";
  var PREFIX = "OCOP-PICKUP:";
  var LABEL = /\/p\/[^\/?#\s]+/;
  var button = document.getElementById("scan-button");
  if (!button) return;
  var form = document.getElementById(button.dataset.form || "pickup-form");
  var input = document.getElementById(button.dataset.input || "id_code");
  var accepts = button.dataset.accept === "label"
    ? function (value) { return LABEL.test(value); }
    : function (value) { return value.toUpperCase().indexOf(PREFIX) === 0; };
  var scanner = document.getElementById("scanner");
  var video = document.getElementById("scanner-video");
  var status = document.getElementById("scan-status");
  if (!form || !input || !("BarcodeDetector" in window)) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  var label = button.textContent;
  var stream = null;
  var timer = null;

  function stop() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    scanner.hidden = true;
    button.textContent = label;
    button.setAttribute("aria-pressed", "false");
  }

  function found(value) {
    stop();
    input.value = value;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function start() {
    var detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      status.textContent = button.dataset.noCamera;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (media) {
      stream = media;
      video.srcObject = media;
      scanner.hidden = false;
      button.textContent = button.dataset.stop;
      button.setAttribute("aria-pressed", "true");
      status.textContent = button.dataset.scanning;
      return video.play().then(function () { look(detector); });
    }).catch(function () {
      stop();
      status.textContent = button.dataset.noCamera;
    });
  }

  function look(detector) {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      for (var i = 0; i < codes.length; i++) {
        var value = (codes[i].rawValue || "").trim();
        if (accepts(value)) { found(value); return; }
        status.textContent = button.dataset.notAccepted;
      }
      timer = window.setTimeout(function () { look(detector); }, 200);
    }).catch(function () {
      timer = window.setTimeout(function () { look(detector); }, 400);
    });
  }

  function offer() {
    button.hidden = false;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () { if (stream) stop(); else start(); });
    window.addEventListener("pagehide", stop);
  }

  if (typeof window.BarcodeDetector.getSupportedFormats === "function") {
    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") !== -1) offer();
    }).catch(function () {});
  } else {
    offer();
  }
})();
