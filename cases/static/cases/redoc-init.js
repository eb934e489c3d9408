// Starts Redoc on the API documentation page (templates/drf_spectacular/redoc.html).
(function () {
  "use strict";
  var script = document.currentScript;
  var settings = JSON.parse(document.getElementById("redoc-settings").textContent) || {};
  // Redoc injects its styles at run time: it marks them with this script's CSP nonce, so the
  // policy needs no 'unsafe-inline'.
  settings.nonce = script.nonce;

  // Redoc's menu shows its maker's logo from their server: the page asks nothing of another site
  // (the CSP would refuse it, and the visitor's address is theirs to keep). The link keeps its words.
  var blank = "data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==";
  function local(value) {
    var address = new URL(String(value), location.href);
    return address.origin === location.origin || address.protocol === "data:" ? value : blank;
  }
  var source = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: source.enumerable,
    get: source.get,
    set: function (value) { source.set.call(this, local(value)); }
  });
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src") {
      value = local(value);
    }
    return setAttribute.call(this, name, value);
  };

  Redoc.init(script.dataset.specUrl, settings, document.getElementById("redoc-container"));
})();
