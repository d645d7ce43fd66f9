// The node's pod network (a CNI bridge on its podCIDR), the routes that keep cluster traffic
// local, and the routes to the other nodes' pods.
export { writeCniConfig, cniConflist, checkCidr, CniConfigError, CNI_CONFIG_FILE, type CniConfigOptions } from './cni-config.js';
export { installUnreachableRoutes, removeUnreachableRoutes, type RouteResult } from './routes.js';
export {
  desiredNodeRoutes, planNodeRoutes, listNodeRoutes, applyNodeRoutePlan, reconcileNodeRoutes, NODE_ROUTE_PROTOCOL,
  type NodeRoute, type NodeRoutePlan, type NodeRouteScope, type RouteNode,
} from './node-routes.js';
export { startNodeRoutes, type NodeRoutes, type NodeRoutesOptions } from './node-route-controller.js';
export { enableIPv4Forwarding } from './forwarding.js';
export { sourceAddressFor } from './node-ip.js';
