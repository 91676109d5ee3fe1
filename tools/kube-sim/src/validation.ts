/** Name, label and annotation validation with the messages of k8s.io/apimachinery/pkg/util/validation. */
import type { FieldError } from './errors.js';
import { isPlainObject, type ObjectMeta } from './json.js';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';

const dns1123LabelRe = new RegExp(`^${DNS1123_LABEL}$`);
const dns1123SubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN}$`);
const qualifiedNameRe = new RegExp(`^${QUALIFIED_NAME}$`);
const labelValueRe = new RegExp(`^${LABEL_VALUE}$`);

export type NameRule = 'subdomain' | 'label' | 'path-segment';

/** Returns the list of problems, each phrased as the real validators phrase them. */
export function validateDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!dns1123SubdomainRe.test(value)) {
    errs.push(
      `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`,
    );
  }
  return errs;
}

export function validateDns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1123LabelRe.test(value)) {
    errs.push(
      `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`,
    );
  }
  return errs;
}

export function validatePathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  for (const bad of ['/', '%']) if (value.includes(bad)) return [`may not contain '${bad}'`];
  return [];
}

export function validateName(rule: NameRule, value: string): string[] {
  switch (rule) {
    case 'label':
      return validateDns1123Label(value);
    case 'path-segment':
      return validatePathSegmentName(value);
    default:
      return validateDns1123Subdomain(value);
  }
}

/** validation.IsQualifiedName; returns a message or undefined. */
export function validateLabelKey(key: string): string | undefined {
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) return 'prefix part must be non-empty';
    const p = validateDns1123Subdomain(prefix);
    if (p.length > 0) return `prefix part ${p.join('; ')}`;
  } else {
    return `a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!qualifiedNameRe.test(name)) {
    return `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME}')`;
  }
  return undefined;
}

export function validateLabelValue(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!labelValueRe.test(value)) {
    return `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${LABEL_VALUE}')`;
  }
  return undefined;
}

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** ValidateObjectMeta: name/generateName, namespace presence, labels, annotations. */
export function validateObjectMeta(
  metadata: ObjectMeta,
  opts: { namespaced: boolean; nameRule: NameRule; requireName: boolean },
): FieldError[] {
  const errs: FieldError[] = [];
  const name = metadata.name;
  if (!name) {
    if (opts.requireName) {
      errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
    }
  } else if (typeof name !== 'string') {
    errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: 'must be a string' });
  } else {
    for (const msg of validateName(opts.nameRule, name)) {
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: msg });
    }
  }
  if (opts.namespaced && !metadata.namespace) {
    errs.push({ type: 'FieldValueRequired', field: 'metadata.namespace' });
  }
  if (metadata.labels !== undefined) {
    if (!isPlainObject(metadata.labels)) {
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.labels', value: metadata.labels, detail: 'must be a map of strings' });
    } else {
      for (const [k, v] of Object.entries(metadata.labels)) {
        const keyErr = validateLabelKey(k);
        if (keyErr) errs.push({ type: 'FieldValueInvalid', field: 'metadata.labels', value: k, detail: keyErr });
        if (typeof v !== 'string') {
          errs.push({ type: 'FieldValueInvalid', field: `metadata.labels`, value: v, detail: 'label values must be strings' });
        } else {
          const valErr = validateLabelValue(v);
          if (valErr) errs.push({ type: 'FieldValueInvalid', field: 'metadata.labels', value: v, detail: valErr });
        }
      }
    }
  }
  if (metadata.annotations !== undefined) {
    if (!isPlainObject(metadata.annotations)) {
      errs.push({ type: 'FieldValueInvalid', field: 'metadata.annotations', value: metadata.annotations, detail: 'must be a map of strings' });
    } else {
      let total = 0;
      for (const [k, v] of Object.entries(metadata.annotations)) {
        const keyErr = validateLabelKey(k.toLowerCase());
        if (keyErr) errs.push({ type: 'FieldValueInvalid', field: 'metadata.annotations', value: k, detail: keyErr });
        if (typeof v !== 'string') {
          errs.push({ type: 'FieldValueInvalid', field: 'metadata.annotations', value: v, detail: 'annotation values must be strings' });
        } else total += k.length + v.length;
      }
      if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
        errs.push({ type: 'FieldValueTooLong', field: 'metadata.annotations', detail: `must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
      }
    }
  }
  if (metadata.finalizers !== undefined && !Array.isArray(metadata.finalizers)) {
    errs.push({ type: 'FieldValueInvalid', field: 'metadata.finalizers', value: metadata.finalizers, detail: 'must be a list of strings' });
  }
  return errs;
}
