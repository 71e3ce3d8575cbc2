// Préau : améliorations facultatives. Chaque page fonctionne sans ce script.
(function () {
  "use strict";
  // Demande une confirmation avant les actions marquées data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || form.querySelector("[data-confirm]");
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Dans le choix de l'enseignant d'une classe, n'affiche les champs de nom que si
  // « un autre enseignant » est choisi.
  var teacher = document.getElementById("f-teacher");
  if (teacher) {
    var fields = ["f-teacher_first_name", "f-teacher_last_name"].map(function (id) {
      var input = document.getElementById(id);
      return input && input.closest(".field");
    });
    var sync = function () {
      fields.forEach(function (f) { if (f) { f.hidden = teacher.value !== "other"; } });
    };
    teacher.addEventListener("change", sync);
    sync();
  }
})();
