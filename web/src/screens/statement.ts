// The accessibility statement, in the chosen language; readable without
// signing in (served at /accessibility).
import { h } from "../dom";
import { t } from "../i18n";
import { pageTitle } from "../ui";

export function statement(main: HTMLElement): void {
  main.replaceChildren(
    pageTitle(t("a11yTitle")),
    h("p", null, t("a11yIntro")),
    h("h2", null, t("a11yStatusH")),
    h("p", null, t("a11yStatus")),
    h("h2", null, t("a11yHowH")),
    h("ul", null, h("li", null, t("a11yKeyboard")), h("li", null, t("a11yLanguages")), h("li", null, t("a11yCharts")), h("li", null, t("a11yColour")), h("li", null, t("a11yZoom"))),
    h("h2", null, t("a11yGapsH")),
    h("ul", null, h("li", null, t("a11yGap1")), h("li", null, t("a11yGap2"))),
    h("h2", null, t("a11yFeedbackH")),
    h("p", null, t("a11yFeedback")),
    h("h2", null, t("a11yEnforcementH")),
    h("p", null, t("a11yEnforcement")),
    h("p", { class: "hint" }, t("a11yDate")),
    h("p", null, h("a", { href: "/" }, `← ${t("backToDashboard")}`)),
  );
}
