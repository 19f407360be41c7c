import { NavLink } from "react-router";
import { Button } from "../../../components/ui/button.tsx";
import { Icon, type IconName } from "../../../components/ui/icons.tsx";
import { Logo } from "../../../components/ui/logo.tsx";

export interface SidebarSection {
  id: string;
  label: string;
  pages: readonly { id: string; label: string; path: string; icon: IconName }[];
}

export interface SidebarUser {
  displayName: string;
  username: string;
  roleName: string;
}

export interface AppSidebarProps {
  sections: readonly SidebarSection[];
  user: SidebarUser;
  onSignOut: () => void;
  signingOut: boolean;
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? "?";
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? "") : "";
  return `${first}${last}`.toUpperCase();
}

/** Product name, the pages this user may use, and who is signed in. */
export function AppSidebar({ sections, user, onSignOut, signingOut }: AppSidebarProps) {
  return (
    <aside className="sidebar">
      <div className="sidebar-brand">
        <NavLink to="/" className="sidebar-home" aria-label="Keyward home">
          <Logo size={30} />
        </NavLink>
      </div>
      <nav className="sidebar-nav" aria-label="Main">
        {sections.map((section) => (
          <div key={section.id} className="nav-section">
            <h2 className="nav-section-label" id={`nav-${section.id}`}>
              {section.label}
            </h2>
            <ul className="nav-list" aria-labelledby={`nav-${section.id}`}>
              {section.pages.map((page) => (
                <li key={page.id}>
                  {/* `end` so "Profile" is not also highlighted on /profile/tokens. */}
                  <NavLink to={page.path} end className="nav-link">
                    <Icon name={page.icon} size={18} />
                    <span>{page.label}</span>
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <section className="sidebar-user" aria-label="Signed in user">
        <span className="avatar" aria-hidden="true">
          {initialsOf(user.displayName || user.username)}
        </span>
        <div className="sidebar-user-text">
          <p className="sidebar-user-name" title={user.username}>
            {user.displayName || user.username}
          </p>
          <p className="sidebar-user-role">{user.roleName}</p>
        </div>
        <Button
          variant="ghost"
          size="sm"
          className="sidebar-signout"
          onClick={onSignOut}
          pending={signingOut}
          pendingLabel="Signing out…"
          leading={<Icon name="signOut" size={16} />}
        >
          Sign out
        </Button>
      </section>
    </aside>
  );
}
