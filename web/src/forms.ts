// Forms that validate as the API does and mark every invalid field: the
// browser-side checks run first (required, e-mail, dates, numbers), then the
// server's 422 `errors` (JSON pointers) are put beside their fields. Other
// problems (403, 409, 412, ...) are explained above the form.
import { ApiError } from "./api";
import { h, uid } from "./dom";
import { dateInput, parseDateInput, t } from "./i18n";
import { problemBox } from "./ui";

export type FieldKind = "text" | "email" | "tel" | "date" | "number" | "select" | "checks" | "textarea" | "password" | "datetime";

export interface FieldSpec {
  name: string; // the body field (JSON pointer without the slash)
  label: string;
  kind?: FieldKind;
  required?: boolean;
  hint?: string;
  value?: string;
  min?: number;
  options?: Array<{ value: string; text: string }>;
  values?: string[]; // checked boxes
}

export type Values = Record<string, string | string[]>;

interface Field {
  spec: FieldSpec;
  wrap: HTMLElement;
  error: HTMLElement;
  focusable: HTMLElement;
  read(): string | string[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// A date field: plain text in the chosen language's form with its hint (see
// i18n dateInput); `read` gives YYYY-MM-DD or YYYY-MM, or the text as typed
// when it is no date (then the check marks it).
export function dateField(id: string, labelText: string, iso: string): { wrap: HTMLElement; read: () => string } {
  const hintId = `${id}-hint`;
  const input = h("input", { id, type: "text", inputmode: "numeric", autocomplete: "off", value: dateInput(iso), "aria-describedby": hintId });
  const wrap = h("div", { class: "field" }, h("label", { for: id }, labelText), h("p", { class: "hint", id: hintId }, t("dateHintShort")), input);
  return { wrap, read: () => parseDateInput(input.value) ?? input.value.trim() };
}

function makeField(spec: FieldSpec): Field {
  const id = uid(`f-${spec.name}`);
  const errId = `${id}-error`;
  const hintId = `${id}-hint`;
  const error = h("p", { class: "field-error", id: errId, hidden: true });
  const kind = spec.kind ?? "text";
  const hintText = kind === "date" ? [spec.hint, t("dateHint")].filter(Boolean).join(" ") : spec.hint;
  const hint = hintText ? h("p", { class: "hint", id: hintId }, hintText) : null;
  const described = [hintText ? hintId : "", errId].filter(Boolean).join(" ");
  const req = spec.required ? h("span", { class: "req" }, ` (${t("required")})`) : h("span", { class: "opt" }, ` (${t("optional")})`);
  if (kind === "checks") {
    const boxes = (spec.options ?? []).map((o) => {
      const bid = uid(`c-${spec.name}`);
      return h("div", { class: "check" }, h("input", { type: "checkbox", id: bid, name: spec.name, value: o.value, checked: spec.values?.includes(o.value) ?? false }), h("label", { for: bid }, o.text));
    });
    const wrap = h("fieldset", { class: "field", "aria-describedby": described }, h("legend", null, spec.label, req), hint, error, h("div", { class: "checks" }, boxes));
    return {
      spec,
      wrap,
      error,
      focusable: (wrap.querySelector("input") as HTMLElement) ?? wrap,
      read: () => Array.from(wrap.querySelectorAll<HTMLInputElement>("input:checked")).map((i) => i.value),
    };
  }
  let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  const common = { id, name: spec.name, "aria-describedby": described, required: spec.required ?? false };
  if (kind === "select") {
    input = h("select", common, h("option", { value: "" }, spec.required ? t("choose") : "–"), (spec.options ?? []).map((o) => h("option", { value: o.value, selected: o.value === spec.value }, o.text)));
  } else if (kind === "textarea") {
    input = h("textarea", { ...common, rows: 3 }, spec.value ?? "");
  } else if (kind === "date") {
    input = h("input", { ...common, type: "text", inputmode: "numeric", autocomplete: "off", value: dateInput(spec.value) });
    const wrap = h("div", { class: "field" }, h("label", { for: id }, spec.label, req), hint, error, input);
    return { spec, wrap, error, focusable: input, read: () => parseDateInput(input.value) ?? input.value.trim() };
  } else {
    const type = kind === "datetime" ? "datetime-local" : kind;
    input = h("input", { ...common, type, value: spec.value ?? "", min: spec.min, autocomplete: kind === "password" ? "off" : null });
  }
  const wrap = h("div", { class: "field" }, h("label", { for: id }, spec.label, req), hint, error, input);
  return { spec, wrap, error, focusable: input, read: () => input.value.trim() };
}

function check(f: Field, v: string | string[]): string | null {
  const kind = f.spec.kind ?? "text";
  if (Array.isArray(v)) return f.spec.required && v.length === 0 ? t("errRequired") : null;
  if (v === "") return f.spec.required ? t("errRequired") : null;
  if (kind === "email" && !EMAIL.test(v)) return t("errEmail");
  if (kind === "date" && parseDateInput(v) === null) return t("errDate");
  if (kind === "number" && (!/^-?\d+$/.test(v) || (f.spec.min !== undefined && Number(v) < f.spec.min))) return t("errNumber", { min: f.spec.min ?? 0 });
  return null;
}

export interface FormOptions {
  title: string;
  fields: FieldSpec[];
  submit: string;
  // Runs the request; returns the text to announce on success.
  send: (values: Values) => Promise<string>;
  intro?: HTMLElement | null;
}

export function form(opts: FormOptions): HTMLElement {
  const fields = opts.fields.map(makeField);
  const status = h("div", { class: "form-status", "aria-live": "polite" });
  const headingId = uid("form-title");
  const button = h("button", { type: "submit" }, opts.submit);
  const el = h(
    "form",
    { class: "form", novalidate: true, "aria-labelledby": headingId },
    h("h2", { id: headingId }, opts.title),
    opts.intro ?? null,
    status,
    fields.map((f) => f.wrap),
    h("div", { class: "actions" }, button),
  );
  const mark = (f: Field, message: string | null): void => {
    f.error.hidden = message === null;
    f.error.textContent = message ? `${t("error")}: ${message}` : "";
    f.focusable.setAttribute("aria-invalid", message ? "true" : "false");
    f.wrap.classList.toggle("invalid", message !== null);
  };
  const summary = (items: Array<{ field?: Field; text: string }>): HTMLElement =>
    h(
      "div",
      { class: "problem", role: "alert", tabindex: "-1" },
      h("p", null, h("strong", null, t("formHasErrors", { n: items.length }))),
      h("ul", null, items.map((i) => h("li", null, i.field ? h("a", { href: `#${i.field.focusable.id}`, onclick: (e: Event) => { e.preventDefault(); i.field?.focusable.focus(); } }, `${i.field.spec.label}: ${i.text}`) : i.text))),
    );
  let sending = false;
  el.addEventListener("submit", (e) => {
    e.preventDefault();
    if (sending) return;
    void (async () => {
      const values: Values = {};
      const bad: Array<{ field?: Field; text: string }> = [];
      for (const f of fields) {
        const v = f.read();
        values[f.spec.name] = v;
        const msg = check(f, v);
        mark(f, msg);
        if (msg) bad.push({ field: f, text: msg });
      }
      if (bad.length) {
        status.replaceChildren(summary(bad));
        (status.firstElementChild as HTMLElement).focus();
        return;
      }
      // aria-disabled, not disabled: the button keeps the keyboard focus.
      sending = true;
      button.setAttribute("aria-disabled", "true");
      status.replaceChildren(h("p", { role: "status" }, t("sending")));
      try {
        const done = await opts.send(values);
        status.replaceChildren(h("p", { class: "ok", role: "status" }, "✓ ", done));
      } catch (err) {
        if (err instanceof ApiError && err.status === 422 && err.problem.errors?.length) {
          const items = err.problem.errors.map((fe) => {
            const name = fe.field.replace(/^\//, "").split("/")[0];
            const f = fields.find((x) => x.spec.name === name);
            if (f) mark(f, fe.message);
            return { field: f, text: f ? fe.message : `${fe.field}: ${fe.message}` };
          });
          status.replaceChildren(problemBox(err), summary(items));
        } else {
          status.replaceChildren(problemBox(err));
        }
        (status.firstElementChild as HTMLElement | null)?.focus();
      } finally {
        sending = false;
        button.removeAttribute("aria-disabled");
      }
    })();
  });
  return el;
}

// The non-empty values only, as the API wants optional fields left out.
export function compact(values: Values, numbers: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (Array.isArray(v) ? v.length === 0 : v === "") continue;
    out[k] = numbers.includes(k) && typeof v === "string" ? Number(v) : v;
  }
  return out;
}
