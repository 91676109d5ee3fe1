/** GraphQL selections and TypeScript shapes of the mesh lifecycle API. */
import type { ErrorInfo } from './perf-model.js';

export type { ErrorInfo };

export interface Mesh {
  mesh: string;
  displayName: string;
  pluginId: string;
  operations: string[];
  versions: { version: string; default: boolean }[];
  defaultVersion?: string | null;
  sampleApps: { name: string; displayName: string; description: string }[];
}

export const MESH_FIELDS = 'mesh displayName pluginId operations versions { version default } defaultVersion sampleApps { name displayName description }';

export interface MeshHealthCheck {
  component: string;
  healthy: boolean;
  message: string;
  remediation?: string | null;
}

/** A sample app a mesh plugin deployed; not ready while its deployment is under way or was cut short. */
export interface DeployedSampleApp {
  app: string;
  namespace: string;
  ready: boolean;
}

export interface MeshStatus {
  contextId: string;
  mesh: string;
  installed: boolean;
  version?: string | null;
  namespace?: string | null;
  managedByMeshery?: boolean | null;
  healthy: boolean;
  checks: MeshHealthCheck[];
  /** Namespaces whose new pods get the mesh's sidecar. */
  injectionNamespaces: string[];
  /** Sample apps Meshery deployed with the mesh's plugin. */
  sampleApps: DeployedSampleApp[];
  checkedAt: string;
  error?: ErrorInfo | null;
}

const ERROR_FIELDS = 'error { code message probableCause remediation }';

export const MESH_STATUS_FIELDS = `contextId mesh installed version namespace managedByMeshery healthy checks { component healthy message remediation } injectionNamespaces sampleApps { app namespace ready } checkedAt ${ERROR_FIELDS}`;

/** OperationStatus of the API. */
export type OperationStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED';

export interface Operation {
  id: string;
  kind: string;
  status: OperationStatus;
  summary: string;
  contextId?: string | null;
  createdAt: string;
  endedAt?: string | null;
  error?: ErrorInfo | null;
}

export const OPERATION_FIELDS = `id kind status summary contextId createdAt endedAt ${ERROR_FIELDS}`;

/** One event of an operation; the last is of type `done` or `failed`. */
export interface OperationEvent {
  operationId: string;
  seq: number;
  at: string;
  type: string;
  summary: string;
  object?: { apiVersion: string; kind: string; name: string; namespace?: string | null } | null;
  error?: ErrorInfo | null;
}

export const OPERATION_EVENT_FIELDS = `operationId seq at type summary object { apiVersion kind name namespace } ${ERROR_FIELDS}`;

/** The event types that end an operation's event stream. */
export const FINAL_EVENT_TYPES: readonly string[] = ['done', 'failed'];
