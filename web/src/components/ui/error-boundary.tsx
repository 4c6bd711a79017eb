import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** Names the pane in the message ("request list"). */
  label: string;
  children: ReactNode;
  /** Remounts the children when it changes (e.g. the selected capture). */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  key: unknown;
}

/** Keeps a crash inside one pane: the rest of the inspector stays usable. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`${this.props.label} crashed`, error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="pane-error" role="alert">
        <h3>The {this.props.label} hit a problem</h3>
        <pre>{this.state.error.message}</pre>
        <button type="button" className="btn" onClick={() => this.setState({ error: null })}>Try again</button>
      </div>
    );
  }
}
