import "./styles.css";

// One page, two programs: the scanner page stays small for handhelds, so each is loaded on demand.
const root = document.getElementById("app")!;
if (location.pathname === "/scanner" || location.pathname.startsWith("/scanner/")) {
  import("./scanner/page").then((m) => m.startScanner(root));
} else {
  import("./console/app").then((m) => m.startConsole(root));
}
