import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { exposeJettyBridge } from './bridge';

exposeJettyBridge({ contextBridge, ipcRenderer, webUtils });
