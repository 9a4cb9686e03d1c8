/** Strings of the settings screens (zh-CN). */
export default {
  title: '',
};
