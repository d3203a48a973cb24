import type { ComponentChildren } from 'preact';

export interface FieldProps {
  id: string;
  label: string;
  value: string;
  onInput(value: string): void;
  /** `password` for secrets: never shown on screen, never offered back by autofill. */
  type?: 'text' | 'password';
  hint?: ComponentChildren;
  /** Shown under the input and announced with it. */
  error?: string | undefined;
  /** Also announce the error as soon as it appears (when no summary elsewhere does). */
  announceError?: boolean;
  placeholder?: string;
  /** Ids and secrets: fixed-width, no spell checking. */
  code?: boolean;
  disabled?: boolean;
}

/** A labelled text input with its hint and error tied to it for screen readers. */
export function Field(props: FieldProps) {
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  const describedBy = [props.hint ? hintId : '', props.error ? errorId : '']
    .filter(Boolean)
    .join(' ');
  const inputProps = {
    id: props.id,
    name: props.id,
    class: props.code ? 'code' : undefined,
    value: props.value,
    placeholder: props.placeholder,
    disabled: props.disabled,
    autocomplete: 'off' as const,
    autocapitalize: 'off' as const,
    spellcheck: false,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
    onInput: (event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field${props.error ? ' field-invalid' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.type === 'password' ? (
        <input type="password" {...inputProps} />
      ) : (
        <input type="text" {...inputProps} />
      )}
      {props.hint ? (
        <p id={hintId} class="hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={errorId} class="field-error" role={props.announceError ? 'alert' : undefined}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
