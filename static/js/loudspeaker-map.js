/* The loudspeakers map: one circle per receiver with coordinates, coloured by its state, on the
   tiles the site is configured with (MAP_TILE_URL). Nothing else is loaded from elsewhere. */
(function () {
  "use strict";
  var box = document.getElementById("loudspeaker-map");
  var data = document.getElementById("loudspeaker-markers");
  if (!box || !data || !window.L) { return; }
  var colours = { online: "#2e7d32", offline: "#b00020", never_seen: "#6b7280", retired: "#9ca3af" };
  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
  var points = [];
  JSON.parse(data.textContent).forEach(function (m) {
    var colour = colours[m.state] || colours.never_seen;
    L.circleMarker([m.lat, m.lon], { radius: 9, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9 })
      .bindTooltip(m.label).addTo(map);
    points.push([m.lat, m.lon]);
  });
  if (points.length === 1) { map.setView(points[0], 14); } else { map.fitBounds(points, { padding: [24, 24] }); }
}());
