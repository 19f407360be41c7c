import {
  type ComponentType,
  createContext,
  lazy,
  type ReactNode,
  use,
  useLayoutEffect,
  useState,
  useTransition,
} from "react";
import {
  type Location,
  type NavigationType,
  Router,
  UNSAFE_createBrowserHistory,
} from "react-router";
import type { RouteHandle } from "./navigation.ts";

/**
 * React Router in declarative mode, with the few data-router features the app used rebuilt on
 * React itself. `createBrowserRouter` pulls the whole data router (loaders, actions, fetchers,
 * revalidation) into the first download, about 15 kB gzipped the app never used.
 *
 * - Location changes render in a transition, so while a lazily loaded page arrives the current
 *   page stays on screen, and `useNavigating()` says so (the data router's `useNavigation()`).
 * - Route modules load on demand (`lazyRoute`); those the first address needs are loaded before
 *   the first render (`preloadRoutes`), in parallel, as the data router did.
 * - The route `handle` of the matched routes comes from `useRouteHandle()` (was `useMatches()`).
 */

const history = UNSAFE_createBrowserHistory({ v5Compat: true });

const NavigatingContext = createContext(false);

/** True while the app is moving to another location whose page is not rendered yet. */
export function useNavigating(): boolean {
  return use(NavigatingContext);
}

export function AppRouter({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ action: NavigationType; location: Location }>({
    action: history.action,
    location: history.location,
  });
  const [navigating, startTransition] = useTransition();
  useLayoutEffect(() => history.listen((update) => startTransition(() => setState(update))), []);
  return (
    <NavigatingContext value={navigating}>
      <Router location={state.location} navigationType={state.action} navigator={history}>
        {children}
      </Router>
    </NavigatingContext>
  );
}

export const RouteHandleContext = createContext<RouteHandle>({});

/** The merged `handle` of the routes matching the current location (the layout's guard). */
export function useRouteHandle(): RouteHandle {
  return use(RouteHandleContext);
}

/** A route module: its component and, optionally, what to fetch when the app opens on it. */
export interface RouteModule {
  Component: ComponentType;
  prefetch?: (search: string) => void;
}

export interface LazyRoute {
  preload: () => Promise<RouteModule>;
  /** Set once the module is in. */
  Loaded: ComponentType | undefined;
  Lazy: ComponentType;
}

/** A route component loaded on first use; render it with `<LazyRouteElement route={…} />`. */
export function lazyRoute(load: () => Promise<RouteModule>): LazyRoute {
  let loading: Promise<RouteModule> | undefined;
  const route: LazyRoute = {
    Loaded: undefined,
    preload: () => {
      loading ??= load().then(
        (module) => {
          route.Loaded = module.Component;
          return module;
        },
        (error: unknown) => {
          // Let a later visit try again (a deploy may have replaced the chunk meanwhile).
          loading = undefined;
          throw error;
        },
      );
      return loading;
    },
    Lazy: lazy(() => route.preload().then(() => ({ default: route.Loaded as ComponentType }))),
  };
  return route;
}

/**
 * Once its module is in, a lazy route renders directly rather than through `React.lazy`, so a
 * page preloaded before the first render never suspends.
 */
export function LazyRouteElement({ route }: { route: LazyRoute }) {
  const { Loaded, Lazy } = route;
  return Loaded ? <Loaded /> : <Lazy />;
}
