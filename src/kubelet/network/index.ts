// The node's pod network (a CNI bridge on its podCIDR) and the routes that keep cluster traffic local.
export { writeCniConfig, cniConflist, checkCidr, CniConfigError, CNI_CONFIG_FILE, type CniConfigOptions } from './cni-config.js';
export { installUnreachableRoutes, removeUnreachableRoutes, type RouteResult } from './routes.js';
