/* Chaja search widget: placeholder, replaced by the real widget shortly. */
(function () {
  'use strict';
})();
