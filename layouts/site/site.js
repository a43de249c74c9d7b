/* Recherche du site (page recherche.html) : l'index Pagefind du dossier pagefind/, lu sur place.
   Aucune requête hors du site. Depuis le disque (file://), le navigateur refuse de charger
   l'index : la page le dit et propose le menu. */
(function () {
  "use strict";
  var form = document.getElementById("recherche");
  var out = document.getElementById("resultats");
  if (!form || !out) { return; }
  var params = new URLSearchParams(window.location.search);
  ["q", "axe", "pilote"].forEach(function (name) {
    if (params.get(name)) { form.elements[name].value = params.get(name); }
  });
  function say(text) {
    out.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    out.appendChild(p);
  }
  if (window.location.protocol === "file:") {
    say("La recherche fonctionne quand le site est servi (par exemple : python -m http.server -d build/site). " +
        "Ouvert depuis le disque, utilisez le menu ou la page de chaque pilote.");
    return;
  }
  var query = (params.get("q") || "").trim();
  if (!query) { return; }
  var filters = {};
  if (params.get("axe")) { filters.axe = params.get("axe"); }
  if (params.get("pilote")) { filters.pilote = params.get("pilote"); }
  function local(url) { return url.split("/").pop(); }
  say("Recherche en cours…");
  import("../pagefind/pagefind.js").then(function (pagefind) {
    return pagefind.search(query, { filters: filters });
  }).then(function (search) {
    return Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }));
  }).then(function (pages) {
    var count = pages.length;
    say(count ? count + " page" + (count > 1 ? "s" : "") + " pour « " + query + " »"
              : "Aucun résultat pour « " + query + " ».");
    var list = document.createElement("ol");
    list.className = "resultats";
    pages.forEach(function (page) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = local(page.url);
      link.textContent = page.meta.title;
      item.appendChild(link);
      var subs = document.createElement("ul");
      page.sub_results.slice(0, 5).forEach(function (sub) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = local(sub.url);
        a.textContent = sub.title;
        var excerpt = document.createElement("p");
        excerpt.innerHTML = sub.excerpt;
        li.appendChild(a);
        li.appendChild(excerpt);
        subs.appendChild(li);
      });
      item.appendChild(subs);
      list.appendChild(item);
    });
    out.appendChild(list);
  }).catch(function () {
    say("La recherche n'a pas pu être chargée.");
  });
}());
