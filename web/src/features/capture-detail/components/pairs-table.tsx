import { CopyButton } from '../../../components/ui/copy-button';

interface Props {
  pairs: ReadonlyArray<readonly [string, string]>;
  label: string;
  empty: string;
}

/** Name/value rows exactly as received (order, case, repeats), each with a copy button. */
export function PairsTable({ pairs, label, empty }: Props) {
  if (pairs.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="kv" aria-label={label}>
      <tbody>
        {pairs.map(([name, value], i) => (
          <tr key={i}>
            <th scope="row">{name}</th>
            <td>{value}</td>
            <td className="kv__copy"><CopyButton text={value} title={`Copy ${name}`} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `Name: value` lines, for "copy all". */
export function pairsText(pairs: ReadonlyArray<readonly [string, string]>, separator = ': '): string {
  return pairs.map(([name, value]) => `${name}${separator}${value}`).join('\n');
}
