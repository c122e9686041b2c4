// The invitation form shows only the fields of the chosen role (a school for a director, a zone
// for a supervisor...): boxes carry data-roles="director docente".
(function () {
  "use strict";
  var role = document.querySelector("#invitation-form select[name=role]");
  if (!role) { return; }
  function sync() {
    document.querySelectorAll("#invitation-form [data-roles]").forEach(function (box) {
      box.hidden = box.dataset.roles.split(" ").indexOf(role.value) === -1;
    });
  }
  role.addEventListener("change", sync);
  sync();
})();
