/* A map of Vietnam by province (core/maps.py): the country outline and a circle per province,
   without tiles. Every element with data-province-map="<id of a json_script>" becomes a map. */
(function () {
  "use strict";
  const PALETTE = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  const NONE = "#adb5bd";

  function classes(max) {
    // Five equal steps of (0, max]; for whole numbers each class is an integer range.
    const step = max / PALETTE.length;
    const found = [];
    for (let k = 0; k < PALETTE.length; k++) {
      const lo = Math.floor(k * step) + 1;
      const hi = Math.floor((k + 1) * step);
      if (lo <= hi || (k === PALETTE.length - 1 && !found.length)) found.push({k: k, lo: lo, hi: hi});
    }
    return {step: step, list: found};
  }

  function tip(name, figure) {
    const div = document.createElement("div");
    const strong = document.createElement("strong");
    strong.textContent = name;
    div.append(strong, ": " + figure);
    return div;
  }

  function colour(value, scale) {
    if (!value) return NONE;
    return PALETTE[Math.min(PALETTE.length - 1, Math.max(0, Math.ceil(value / scale.step) - 1))];
  }

  function draw(element) {
    if (element.dataset.drawn) return;
    element.dataset.drawn = "1";
    const data = JSON.parse(document.getElementById(element.dataset.provinceMap).textContent);
    const number = new Intl.NumberFormat(document.documentElement.lang || "vi");
    const map = L.map(element, {zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true});
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution(data.labels.attribution);
    map.fitBounds(data.bounds);
    map.createPane("outline").style.zIndex = 350;

    fetch(data.outline).then(function (r) { return r.json(); }).then(function (outline) {
      L.geoJSON(outline, {pane: "outline", interactive: false,
        style: {color: "#8796ab", weight: 1, fillColor: "#fbfbf8", fillOpacity: 1}}).addTo(map);
    });

    data.islands.forEach(function (island) {
      L.circleMarker([island.lat, island.lon], {radius: 2, color: "#5a6b85", weight: 1, fillOpacity: 1, interactive: false})
        .bindTooltip(island.label, {permanent: true, direction: "bottom", className: "bd-map-label"})
        .addTo(map);
    });

    const RADIUS = Math.max(8, Math.min(18, element.clientWidth / 26));  // the largest circle: small enough that the Red River delta stays readable
    const layers = {};
    const scales = {};
    data.layers.forEach(function (layer) {
      const max = Math.max(0, ...layer.points.map(function (p) { return p.value; }));
      const scale = classes(max || 1);
      const group = L.layerGroup();
      layer.points
        .filter(function (p) { return p.lat !== null; })
        .sort(function (a, b) { return b.value - a.value; })  // small circles on top
        .forEach(function (p) {
          const radius = p.value ? Math.max(4, RADIUS * Math.sqrt(p.value / (max || 1))) : 2.5;
          L.circleMarker([p.lat, p.lon], {
            radius: radius, weight: 1, color: p.value ? "#0b3d6e" : "#868e96",
            fillColor: colour(p.value, scale), fillOpacity: p.value ? 0.85 : 0.6,
          })
            .bindTooltip(tip(p.name, p.value ? number.format(p.value) : data.labels.none))
            .addTo(group);
        });
      layers[layer.label] = group;
      scales[layer.label] = {scale: scale, max: max};
    });

    const legend = L.control({position: "topright"});
    legend.onAdd = function () {
      this._div = L.DomUtil.create("div", "bd-map-legend");
      return this._div;
    };
    legend.show = function (label) {
      const s = scales[label];
      let html = "<strong></strong><br>";
      s.scale.list.forEach(function (c) {
        const range = c.lo >= c.hi ? number.format(c.hi || s.max) : number.format(c.lo) + "–" + number.format(c.hi);
        html += '<i style="background:' + PALETTE[c.k] + '"></i>' + range + "<br>";
      });
      html += '<i style="background:' + NONE + '"></i>' + data.labels.none;
      this._div.innerHTML = html;
      this._div.querySelector("strong").textContent = data.legend;
    };
    const labels = Object.keys(layers);
    layers[labels[0]].addTo(map);
    if (labels.length > 1) {
      L.control.layers(layers, null, {collapsed: false, position: "topright"}).addTo(map);
      map.on("baselayerchange", function (e) { legend.show(e.name); });
    }
    legend.addTo(map);
    legend.show(labels[0]);
  }

  function drawAll() {
    document.querySelectorAll("[data-province-map]").forEach(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
