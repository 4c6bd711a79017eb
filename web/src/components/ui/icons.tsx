import type { ReactElement, SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement> & { size?: number };

function icon(paths: ReactElement, name: string) {
  function Icon({ size = 14, ...rest }: IconProps) {
    return (
      <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.5}
        strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" {...rest}>
        {paths}
      </svg>
    );
  }
  Icon.displayName = name;
  return Icon;
}

export const LogoIcon = icon(<><circle cx="7" cy="7" r="4.5" /><path d="M10.5 10.5 14 14M5 7h4M7 5v4" /></>, 'LogoIcon');
export const CopyIcon = icon(<><rect x="5" y="5" width="8.5" height="8.5" rx="1.5" /><path d="M3 10.5H2.5v-8h8V3" /></>, 'CopyIcon');
export const CheckIcon = icon(<path d="m3 8.5 3 3 7-7" />, 'CheckIcon');
export const PlusIcon = icon(<path d="M8 3v10M3 8h10" />, 'PlusIcon');
export const TrashIcon = icon(<><path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5" /></>, 'TrashIcon');
export const PencilIcon = icon(<path d="M10.5 2.5 13.5 5.5 6 13H3v-3l7.5-7.5Z" />, 'PencilIcon');
export const GearIcon = icon(<><circle cx="8" cy="8" r="2.2" /><path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" /></>, 'GearIcon');
export const SearchIcon = icon(<><circle cx="7" cy="7" r="4.5" /><path d="m10.5 10.5 3 3" /></>, 'SearchIcon');
export const PauseIcon = icon(<path d="M5.5 3.5v9M10.5 3.5v9" />, 'PauseIcon');
export const PlayIcon = icon(<path d="M5 3.5v9l7-4.5-7-4.5Z" />, 'PlayIcon');
export const DownloadIcon = icon(<path d="M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10" />, 'DownloadIcon');
export const TerminalIcon = icon(<><rect x="1.5" y="2.5" width="13" height="11" rx="1.5" /><path d="m4.5 6 2 2-2 2M8.5 10.5h3" /></>, 'TerminalIcon');
export const MenuIcon = icon(<path d="M2.5 4h11M2.5 8h11M2.5 12h11" />, 'MenuIcon');
export const BackIcon = icon(<path d="M10 3 5 8l5 5" />, 'BackIcon');
export const CloseIcon = icon(<path d="m4 4 8 8M12 4l-8 8" />, 'CloseIcon');
export const LogoutIcon = icon(<path d="M6 2.5H3.5v11H6M10 5l3 3-3 3M13 8H6.5" />, 'LogoutIcon');
export const SendIcon = icon(<path d="M2 8 14 2.5 10.5 14 8 9 2 8Z" />, 'SendIcon');
export const ChevronIcon = icon(<path d="m6 4 4 4-4 4" />, 'ChevronIcon');
export const FollowIcon = icon(<path d="M8 13V3M4 7l4-4 4 4" />, 'FollowIcon');
