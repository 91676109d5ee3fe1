/**
 * The console's small design system: buttons, cards, fields, alerts, badges, tables. Plain
 * semantic HTML (real buttons, links and labels) styled by styles.css, so everything works with
 * the keyboard and a screen reader.
 */
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { Link, NavLink, type LinkProps } from 'react-router';
import type { ErrorDetails } from '../api/errors.ts';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

const cx = (...names: (string | false | null | undefined)[]): string => names.filter(Boolean).join(' ');

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: 'sm' | 'md';
  busy?: boolean;
}

export function Button({ variant = 'secondary', size = 'md', busy = false, className, children, disabled, type, ...rest }: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      className={cx('btn', `btn-${variant}`, size === 'sm' && 'btn-sm', className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <span className="spinner spinner-inline" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

export function ButtonLink({ variant = 'secondary', size = 'md', className, ...rest }: LinkProps & { variant?: Variant; size?: 'sm' | 'md' }) {
  return <Link className={cx('btn', `btn-${variant}`, size === 'sm' && 'btn-sm', className)} {...rest} />;
}

/** A two-step destructive action: the first press asks, the second does it. */
export function ConfirmButton({
  children,
  confirmLabel,
  onConfirm,
  busy,
  size = 'sm',
  disabled,
}: {
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  size?: 'sm' | 'md';
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button size={size} variant="ghost" onClick={() => setAsking(true)} busy={busy} disabled={disabled}>
        {children}
      </Button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={confirmLabel}>
      <Button
        size={size}
        variant="danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </Button>
      <Button size={size} variant="ghost" onClick={() => setAsking(false)}>
        Keep
      </Button>
    </span>
  );
}

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Card({
  title,
  actions,
  children,
  className,
  description,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  description?: ReactNode;
}) {
  const id = useId();
  return (
    <section className={cx('card', className)} aria-labelledby={title ? id : undefined}>
      {title || actions ? (
        <div className="card-header">
          <div>
            {title ? (
              <h2 id={id} className="card-title">
                {title}
              </h2>
            ) : null}
            {description ? <p className="card-description">{description}</p> : null}
          </div>
          {actions ? <div className="card-actions">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}

export function Alert({
  tone = 'info',
  title,
  children,
  actions,
}: {
  tone?: 'info' | 'warning' | 'error' | 'success';
  title?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className={cx('alert', `alert-${tone}`)} role={tone === 'error' ? 'alert' : 'status'}>
      <div className="alert-body">
        {title ? <p className="alert-title">{title}</p> : null}
        {children}
      </div>
      {actions ? <div className="alert-actions">{actions}</div> : null}
    </div>
  );
}

/** An API error: its message, code, probable cause and remediation, a way to try again, and other ways out (`actions`). */
export function ErrorView({ details, onRetry, title, actions }: { details: ErrorDetails; onRetry?: () => void; title?: string; actions?: ReactNode }) {
  return (
    <Alert
      tone="error"
      title={title ?? details.message}
      actions={
        onRetry || actions ? (
          <>
            {onRetry ? (
              <Button size="sm" onClick={onRetry}>
                Try again
              </Button>
            ) : null}
            {actions}
          </>
        ) : null
      }
    >
      {title ? <p>{details.message}</p> : null}
      <dl className="error-facts">
        {details.code ? (
          <>
            <dt>Code</dt>
            <dd>
              <code>{details.code}</code>
              {details.field ? (
                <>
                  {' '}
                  on <code>{details.field}</code>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {details.probableCause ? (
          <>
            <dt>Probable cause</dt>
            <dd>{details.probableCause}</dd>
          </>
        ) : null}
        {details.remediation ? (
          <>
            <dt>Remediation</dt>
            <dd>{details.remediation}</dd>
          </>
        ) : null}
      </dl>
      {details.problems.length > 1 ? (
        <ul className="error-problems">
          {details.problems.map((p) => (
            <li key={`${p.field}:${p.message}`}>
              <code>{p.field}</code>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children, action }: { title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-text">{children}</div> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

export type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info' | 'running';

export function Badge({ tone = 'neutral', children, title }: { tone?: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={cx('badge', `badge-${tone}`)} title={title}>
      {children}
    </span>
  );
}

const RUN_TONES: Record<string, Tone> = {
  RUNNING: 'running',
  COMPLETED: 'success',
  FAILED: 'danger',
  CANCELLED: 'warning',
  INTERRUPTED: 'warning',
};

export function RunStatusBadge({ status }: { status: string }) {
  return <Badge tone={RUN_TONES[status] ?? 'neutral'}>{status.toLowerCase()}</Badge>;
}

const OPERATION_TONES: Record<string, Tone> = {
  RUNNING: 'running',
  SUCCEEDED: 'success',
  FAILED: 'danger',
  CANCELLED: 'warning',
  INTERRUPTED: 'warning',
};

export function OperationStatusBadge({ status }: { status: string }) {
  return <Badge tone={OPERATION_TONES[status] ?? 'neutral'}>{status.toLowerCase()}</Badge>;
}

const PLUGIN_TONES: Record<string, Tone> = { LOADED: 'success', FAILED: 'danger', INCOMPATIBLE: 'warning' };

export function PluginStatusBadge({ status }: { status: string }) {
  return <Badge tone={PLUGIN_TONES[status] ?? 'neutral'}>{status.toLowerCase()}</Badge>;
}

/** Key figures: a definition list laid out as tiles. */
export function Stats({ items, className }: { items: { label: ReactNode; value: ReactNode; hint?: ReactNode }[]; className?: string }) {
  return (
    <dl className={cx('stats', className)}>
      {items.map((item, i) => (
        <div className="stat" key={i}>
          <dt>{item.label}</dt>
          <dd>
            {item.value}
            {item.hint ? <span className="stat-hint">{item.hint}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A label, a control, a hint and the API's problems with the field. */
export function Field({
  label,
  hint,
  errors = [],
  children,
  id,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  id: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={cx('field', errors.length > 0 && 'field-invalid', className)}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors.map((message) => (
        <p className="field-error" id={`${id}-error`} key={message}>
          {message}
        </p>
      ))}
    </div>
  );
}

type FieldBase = { label: ReactNode; hint?: ReactNode; errors?: string[]; fieldClassName?: string };

const describedBy = (id: string, hint: unknown, errors: string[] | undefined) =>
  [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

export function TextField({
  label,
  hint,
  errors,
  fieldClassName,
  id,
  ...input
}: FieldBase & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <Field label={label} hint={hint} errors={errors} id={fieldId} className={fieldClassName}>
      <input id={fieldId} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(fieldId, hint, errors)} {...input} />
    </Field>
  );
}

export function TextAreaField({
  label,
  hint,
  errors,
  fieldClassName,
  id,
  ...input
}: FieldBase & TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> }) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <Field label={label} hint={hint} errors={errors} id={fieldId} className={fieldClassName}>
      <textarea id={fieldId} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(fieldId, hint, errors)} {...input} />
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  errors,
  fieldClassName,
  id,
  children,
  ...select
}: FieldBase & SelectHTMLAttributes<HTMLSelectElement>) {
  const auto = useId();
  const fieldId = id ?? auto;
  return (
    <Field label={label} hint={hint} errors={errors} id={fieldId} className={fieldClassName}>
      <select id={fieldId} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy(fieldId, hint, errors)} {...select}>
        {children}
      </select>
    </Field>
  );
}

/** Links between the sub-pages of a section. */
export function SubNav({ label, items }: { label: string; items: { to: string; label: string; end?: boolean }[] }) {
  return (
    <nav className="subnav" aria-label={label}>
      {items.map((item) => (
        <NavLink key={item.to} to={item.to} end={item.end} className={({ isActive }) => cx('subnav-link', isActive && 'active')}>
          {item.label}
        </NavLink>
      ))}
    </nav>
  );
}

/** A table header cell that sorts its column: a button, with aria-sort on the cell. */
export function SortHeader({
  label,
  active,
  direction,
  onSort,
  numeric,
}: {
  label: string;
  active: boolean;
  direction: 'ASC' | 'DESC';
  onSort: () => void;
  numeric?: boolean;
}) {
  return (
    <th scope="col" aria-sort={active ? (direction === 'ASC' ? 'ascending' : 'descending') : 'none'} className={numeric ? 'num' : undefined}>
      <button type="button" className="sort-button" onClick={onSort}>
        {label}
        <span className="sort-indicator" aria-hidden="true">
          {active ? (direction === 'ASC' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

export function LabelChips({ labels }: { labels: { key: string; value: string }[] }) {
  if (labels.length === 0) return <span className="muted">—</span>;
  return (
    <span className="chips">
      {labels.map((l) => (
        <span className="chip" key={`${l.key}=${l.value}`}>
          {l.key}={l.value}
        </span>
      ))}
    </span>
  );
}

/**
 * A modal dialog (or a drawer at the right edge) on the native <dialog> element: focus moves into
 * it and stays there, Escape closes it, and focus returns to where it was. The element marked
 * `data-autofocus` receives focus when it opens (else the first focusable element).
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  variant = 'dialog',
  className,
}: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  variant?: 'dialog' | 'drawer';
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    // On closing (or unmounting while open), focus goes back to where it was.
    return () => {
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={cx('dialog', variant === 'drawer' && 'dialog-drawer', className)}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        // Escape: the parent decides (it owns `open`).
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop of a drawer closes it.
        if (variant === 'drawer' && event.target === event.currentTarget) onClose();
      }}
    >
      {open ? (
        <div className="dialog-frame">
          <div className="dialog-header">
            <div>
              <h2 id={titleId} className="dialog-title">
                {title}
              </h2>
              {description ? (
                <p id={descriptionId} className="dialog-description">
                  {description}
                </p>
              ) : null}
            </div>
            <button type="button" className="dialog-close" onClick={onClose} aria-label="Close">
              ×
            </button>
          </div>
          <div className="dialog-body">{children}</div>
          {footer ? <div className="dialog-footer">{footer}</div> : null}
        </div>
      ) : null}
    </dialog>
  );
}

/** An on/off switch: a button with role="switch" and its state in words. */
export function Switch({
  checked,
  onChange,
  label,
  onText = 'On',
  offText = 'Off',
  id,
  disabled,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: ReactNode;
  onText?: string;
  offText?: string;
  id?: string;
  disabled?: boolean;
}) {
  const auto = useId();
  const switchId = id ?? auto;
  return (
    <div className="field switch-field">
      <span className="switch-label" id={`${switchId}-label`}>
        {label}
      </span>
      <button
        type="button"
        role="switch"
        id={switchId}
        aria-checked={checked}
        aria-labelledby={`${switchId}-label`}
        className={cx('switch', checked && 'switch-on')}
        onClick={() => onChange(!checked)}
        disabled={disabled}
      >
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        <span className="switch-text">{checked ? onText : offText}</span>
      </button>
    </div>
  );
}
