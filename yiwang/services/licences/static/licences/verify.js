// QR scanning on the licence verification page: the browser's BarcodeDetector (camera or picture)
// fills in the token and submits. Without BarcodeDetector the scan controls stay hidden.
(function () {
  "use strict";
  if (!("BarcodeDetector" in window)) return;
  var t = window.gettext || function (s) { return s; };
  var form = document.getElementById("verify-form");
  var field = document.getElementById("credential");
  var status = document.getElementById("scan-status");
  var video = document.getElementById("scan-video");
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  document.getElementById("scan").hidden = false;

  function found(codes) {
    if (!codes.length) return false;
    field.value = codes[0].rawValue;
    form.submit();
    return true;
  }

  document.getElementById("scan-image").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) return;
    createImageBitmap(file).then(function (bitmap) { return detector.detect(bitmap); }).then(function (codes) {
      if (!found(codes)) status.textContent = t("No QR code found in this picture.");
    }).catch(function () { status.textContent = t("This picture cannot be read."); });
  });

  document.getElementById("scan-camera").addEventListener("click", function () {
    if (!navigator.mediaDevices) { status.textContent = t("No camera is available."); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream; video.hidden = false; video.play();
      status.textContent = t("Hold the QR code in front of the camera.");
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (found(codes)) { stream.getTracks().forEach(function (s) { s.stop(); }); }
          else { requestAnimationFrame(tick); }
        }).catch(function () { requestAnimationFrame(tick); });
      };
      tick();
    }).catch(function () { status.textContent = t("The camera could not be opened."); });
  });
})();
