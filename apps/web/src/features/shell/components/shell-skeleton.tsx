import { Skeleton } from "../../../components/ui/spinner.tsx";

/** The layout's outline while we find out who is signed in: calm, no jumping content. */
export function ShellSkeleton() {
  return (
    <div className="shell" aria-busy="true">
      <div className="sidebar sidebar-skeleton">
        <div className="sidebar-brand">
          <Skeleton width={30} height={30} />
          <Skeleton width={96} height={16} />
        </div>
        <div className="sidebar-nav">
          {[0, 1].map((section) => (
            <div key={section} className="nav-section">
              <Skeleton width={90} height={10} />
              {[0, 1, 2].map((item) => (
                <div key={item} className="nav-skeleton-row">
                  <Skeleton width={18} height={18} />
                  <Skeleton width={section === 0 ? 110 - item * 14 : 80 + item * 10} height={12} />
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
      <main className="main" id="main">
        <div className="page">
          <p className="visually-hidden" role="status">
            Loading Keyward…
          </p>
          <div className="page-header">
            <div className="page-header-text">
              <Skeleton width={120} height={12} />
              <Skeleton width={220} height={26} />
              <Skeleton width={420} height={14} />
            </div>
          </div>
          <div className="panel panel-skeleton">
            <Skeleton height={14} />
            <Skeleton height={14} width="85%" />
            <Skeleton height={14} width="70%" />
          </div>
        </div>
      </main>
    </div>
  );
}
