/** Strings of the ratings screens (zh-CN). */
export default {
  title: '',
};
